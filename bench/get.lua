-- A plain GET of one path (the JWKS; nginx's `return 200`). Args: PATH
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "wrk_common.lua")

function init(args)
  wrk.method = "GET"
  wrk.path = args[1]
end
