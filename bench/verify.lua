-- GET {issuer}/verify?audience=API with one valid bearer token. Args: PATH_WITH_QUERY TOKEN
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "wrk_common.lua")

function init(args)
  wrk.method = "GET"
  wrk.path = args[1]
  wrk.headers["Authorization"] = "Bearer " .. args[2]
end
