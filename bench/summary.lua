-- wrk's end-of-run summary as one JSON line for bench/http_load.py (loaded by the other scripts).
-- Besides p50/p90/p99 and the maximum, the latency at the percentiles of PERCENTILES (0 is the
-- minimum, 100 the maximum): bench/http_load.py combines several runs' distributions from them.
local PERCENTILES = { 0, 1, 5, 10, 25, 40, 50, 60, 75, 90, 95, 97, 98, 98.5, 99, 99.5, 99.8, 99.9, 100 }

done = function(summary, latency, requests)
  local e = summary.errors
  local points = {}
  for _, p in ipairs(PERCENTILES) do
    local value = p == 0 and latency.min or (p == 100 and latency.max or latency:percentile(p))
    points[#points + 1] = string.format("[%g, %d]", p, value)
  end
  io.write(string.format(
    'BENCH-WRK {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"percentiles_us": [%s]}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    table.concat(points, ", ")))
end
