-- wrk: POST /rest/companies with a fresh name, bearer token from the file given as first argument.
local counter = 0
function init(args)
  local token = io.open(args[1]):read("*l")
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
  math.randomseed(os.time() + math.random(1000000))
end
function request()
  counter = counter + 1
  local body = string.format('{"name":"Bench %d-%d","employees":%d,"domainName":{"primaryLinkUrl":"https://b%d.test"}}',
    math.random(1000000000), counter, math.random(10000), counter)
  return wrk.format("POST", "/rest/companies", nil, body)
end
