-- wrk script: GETs PATH_PREFIX .. <appId>, the appId drawn from IDS_FILE (one per line, hottest first) with a
-- Zipf(ZIPF_S) distribution, so a few apps take most requests as in a real wallet's traffic. Optional
-- Authorization from TOKEN, Accept-Language fixed. With TIMELINE=1 it counts answers and failures per
-- second and prints them as "timeline <unix second> <ok> <failed>" at the end (for the Redis outage run).
-- With RATE=<req/s> and CONNECTIONS=<wrk -c> each connection waits a random (exponential) time before each request,
-- so that all of them together offer about RATE requests per second: latency below saturation, where a closed loop
-- at full speed only measures its own queue (Little's law). wrk starts its latency clock after the wait.
local ids, cdf = {}, {}
local prefix = os.getenv("PATH_PREFIX") or "/"
local token = os.getenv("TOKEN")
local timeline = os.getenv("TIMELINE") == "1"
counts = {}   -- global: done() reads it from each thread with thread:get
local threads = {}

local function load()
  for line in io.lines(os.getenv("IDS_FILE")) do
    if line ~= "" then ids[#ids + 1] = line end
  end
  local s = tonumber(os.getenv("ZIPF_S") or "1.0")
  local total = 0
  for k = 1, #ids do total = total + 1 / (k ^ s); cdf[k] = total end
  for k = 1, #ids do cdf[k] = cdf[k] / total end
end

local function pick()
  local u, lo, hi = math.random(), 1, #ids
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return ids[lo]
end

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  load()
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  wrk.headers["Accept-Language"] = "zh-CN,en;q=0.8"
  if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
end

local rate, connections = tonumber(os.getenv("RATE") or "0"), tonumber(os.getenv("CONNECTIONS") or "0")
if rate > 0 and connections > 0 then
  local mean_ms = connections * 1000 / rate
  function delay()
    return -mean_ms * math.log(1 - math.random())
  end
end

function request()
  return wrk.format("GET", prefix .. pick())
end

if timeline then
  -- each thread appends "second ok failed" to its own file when the second changes (TIMELINE_FILE.<thread id>);
  -- report.py sums the files. (Copying tables out of threads with thread:get crashed wrk.)
  local current, ok, failed, out = nil, 0, 0, nil

  function response(status, headers, body)
    local second = os.time()
    if second ~= current then
      if current ~= nil then
        out:write(string.format("%d %d %d\n", current, ok, failed)); out:flush()
      end
      current, ok, failed = second, 0, 0
    end
    if status == 200 or status == 304 then ok = ok + 1 else failed = failed + 1 end
  end

  local base_setup = setup
  local next_id = 0
  function setup(thread)
    next_id = next_id + 1
    thread:set("thread_id", next_id)
    base_setup(thread)
  end

  local base_init = init
  function init(args)
    base_init(args)
    out = io.open(os.getenv("TIMELINE_FILE") .. "." .. tostring(thread_id), "a")
  end
end
