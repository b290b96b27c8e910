-- POST {issuer}/introspect with the API's own credentials (Basic) and one valid token.
-- Args: PATH BASIC_AUTH_VALUE TOKEN
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "wrk_common.lua")

function init(args)
  wrk.method = "POST"
  wrk.path = args[1]
  wrk.headers["Authorization"] = "Basic " .. args[2]
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.body = "token=" .. args[3]
end
