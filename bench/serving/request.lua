-- One GET per request to the path in KGBENCH_PATH, with the Accept header in KGBENCH_ACCEPT.
-- With KGBENCH_DISTINCT=1 the query text differs on every request (a numbered comment first),
-- so no cache can answer it: the engine does the whole work each time.
local path = os.getenv("KGBENCH_PATH")
local accept = os.getenv("KGBENCH_ACCEPT") or "*/*"
local distinct = os.getenv("KGBENCH_DISTINCT") == "1"
local counter = 0
local thread_id = 0
local threads_started = 0

function setup(thread)
  threads_started = threads_started + 1
  thread:set("thread_id", threads_started)
end

request = function()
  counter = counter + 1
  local target = path
  if distinct then
    target = path:gsub("query=", "query=%%23" .. thread_id .. "x" .. counter .. "%%0A", 1)
  end
  return wrk.format("GET", target, { ["Accept"] = accept })
end
