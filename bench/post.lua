-- wrk script: POST JSON bodies read from the file named by BENCH_BODIES (one body a line),
-- cycling through them; prints one JSON summary line at the end for bench/http_load.py.
local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do
  if #line > 0 then bodies[#bodies + 1] = line end
end
local headers = { ["Content-Type"] = "application/json" }
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("POST", nil, headers, bodies[(counter % #bodies) + 1])
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/summary.lua")
