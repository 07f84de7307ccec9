-- wrk: the noisy workspace's load. Each request is the next line of REQUESTS_FILE in turn, per wrk thread
-- ("kind<TAB>method<TAB>path<TAB>body",
-- body may be empty), sent with the bearer token in TOKEN_FILE. At the end prints "STATUS code count" per HTTP status
-- seen and "RESULT requests socket_errors p50_us p99_us" for bench/noisy-neighbor to read.
local requests = {}
local threads = {}
statuses = {}
function setup(thread) threads[#threads + 1] = thread end
function init(args)
  for line in io.lines(args[1]) do
    local kind, method, path, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    if kind then requests[#requests + 1] = { method = method, path = path, body = (body ~= "" and body or nil) } end
  end
  wrk.headers["Authorization"] = "Bearer " .. io.open(args[2]):read("*l")
  wrk.headers["Content-Type"] = "application/json"
end
-- In turn rather than at random: each thread's first request is the first line (the cheapest kind, rest-list, when
-- given), so a short run always completes some noise even when another kind takes longer than the run (a 50-alias
-- metadata request takes seconds in a debug build); the mix is the file's, as a random draw's is on average.
local next_line = 0
function request()
  next_line = next_line % #requests + 1
  local r = requests[next_line]
  return wrk.format(r.method, r.path, nil, r.body)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, _)
  local total = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do total[code] = (total[code] or 0) + count end
  end
  for code, count in pairs(total) do io.write(string.format("STATUS %d %d\n", code, count)) end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d\n", summary.requests, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
