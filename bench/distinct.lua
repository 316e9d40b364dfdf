-- wrk script: distinct traffic. Every request is a new project: its own title and every field
-- drawn at random from the profile's domain (the timeline from 1 to 120 months). Prints one
-- JSON summary line at the end for bench/http_load.py.
local choices = {
  project_type = { "evidence_review", "data_analysis", "evaluation", "implementation", "intervention" },
  funding = { "agency_commissioned", "agency_funded_proposal", "external_grant", "co_funded", "unfunded" },
  relationship = { "none", "prior_project", "long_term" },
  staff_stability = { "low", "moderate", "high" },
  agency_evidence_need = { "none", "general", "specific" },
}
local proposals = { "agency", "researcher", "co_produced" }
local flags = { "uses_agency_data", "politically_sensitive", "in_kind_contribution", "standing_partnership" }
local headers = { ["Content-Type"] = "application/json" }
local threads = 0
local counter = 0

setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

init = function(args)
  math.randomseed(os.time() * 100 + (seed or 0))
end

local function pick(values)
  return values[math.random(#values)]
end

request = function()
  counter = counter + 1
  local parts = { string.format('"title": "Project %d-%d, %d"', seed or 0, counter, math.random(1000000)) }
  for name, values in pairs(choices) do
    parts[#parts + 1] = string.format('"%s": "%s"', name, pick(values))
  end
  parts[#parts + 1] = string.format('"timeline_months": %d', math.random(120))
  if math.random(4) > 1 then
    parts[#parts + 1] = string.format('"proposed_initiation": "%s"', pick(proposals))
  end
  for _, name in ipairs(flags) do
    parts[#parts + 1] = string.format('"%s": %s', name, math.random(2) == 1 and "true" or "false")
  end
  return wrk.format("POST", nil, headers, "{" .. table.concat(parts, ", ") .. "}")
end

dofile(os.getenv("BENCH_LUA_DIR") .. "/summary.lua")
