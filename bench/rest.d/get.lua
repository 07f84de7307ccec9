-- wrk: GET a random path from PATHS_FILE (one per line) with the bearer token in TOKEN_FILE.
local paths = {}
local token = ""
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  token = io.open(args[2]):read("*l")
  wrk.headers["Authorization"] = "Bearer " .. token
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
