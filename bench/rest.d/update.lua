-- wrk: PATCH a random record of the paths file (first argument) with a fresh employee count; bearer token from the
-- file given as second argument. Every request changes the record, so every one records an `updated` event.
local paths = {}
local counter = 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  local token = io.open(args[2]):read("*l")
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
  math.randomseed(os.time() + math.random(1000000))
end
function request()
  counter = counter + 1
  local body = string.format('{"employees":%d}', 100000 + counter * 7 + math.random(6))
  return wrk.format("PATCH", paths[math.random(#paths)], nil, body)
end
