-- POST {issuer}/token, client_credentials with client_secret_basic.
-- Args: PATH CREDENTIALS_FILE RESOURCE [SCOPE]. CREDENTIALS_FILE holds one "client_id:secret"
-- a line; requests cycle through them, so that with many clients each request looks up
-- another one (a cold entry of a big map, not the same hot one).
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "wrk_common.lua")

local requests = {}
local n = 0

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(data)
  return ((data:gsub(".", function(x)
    local r, b = "", x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return b64chars:sub(c + 1, c + 1)
  end) .. ({ "", "==", "=" })[#data % 3 + 1])
end

function init(args)
  local path, file, resource, scope = args[1], args[2], args[3], args[4]
  local body = "grant_type=client_credentials&resource=" .. urlencode(resource)
  if scope and scope ~= "" then body = body .. "&scope=" .. urlencode(scope) end
  for line in io.lines(file) do
    if line ~= "" then
      local id, secret = line:match("^([^:]+):(.*)$")
      local auth = "Basic " .. base64(urlencode(id) .. ":" .. urlencode(secret))
      -- wrk.format takes these headers instead of wrk.headers: carry over the command line's
      -- (-H "Connection: close" for a new connection per request).
      local headers = {}
      for k, v in pairs(wrk.headers) do headers[k] = v end
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      headers["Authorization"] = auth
      requests[#requests + 1] = wrk.format("POST", path, headers, body)
    end
  end
  n = math.random(#requests)
end

function request()
  n = n % #requests + 1
  return requests[n]
end
