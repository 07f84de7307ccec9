-- wrk: GET a random path from PATHS_FILE (one per line) with the bearer token in TOKEN_FILE; at the end prints one
-- line "requests non2xx socket_errors p50_us p99_us p999_us max_us" for bench/noisy-neighbor to read.
local paths = {}
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  wrk.headers["Authorization"] = "Bearer " .. io.open(args[2]):read("*l")
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
