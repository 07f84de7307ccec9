-- wrk: POST a random JSON body from BODIES_FILE (one per line) to PATH with the bearer token in TOKEN_FILE.
local bodies = {}
local path = "/"
function init(args)
  path = args[1]
  for line in io.lines(args[2]) do bodies[#bodies + 1] = line end
  wrk.headers["Authorization"] = "Bearer " .. io.open(args[3]):read("*l")
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  return wrk.format("POST", path, nil, bodies[math.random(#bodies)])
end
