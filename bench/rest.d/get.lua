-- wrk: GET a random line of PATHS_FILE with the bearer token in TOKEN_FILE. A line is a path, or a path, a space and
-- the token to send it with (find-one-spread: each workspace's records with that workspace's key).
local requests = {}
function init(args)
  local token = io.open(args[2]):read("*l")
  for line in io.lines(args[1]) do
    local path, own = line:match("^(%S+) (%S+)$")
    path = path or line
    requests[#requests + 1] = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. (own or token) })
  end
end
function request()
  return requests[math.random(#requests)]
end
