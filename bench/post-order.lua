-- wrk script of bench/run: POST /orders with a varying JSON order, and machine-readable totals.
--
--   wrk -t2 -c35 -d60s -s bench/post-order.lua http://127.0.0.1:1378/orders
--
-- Every thread pre-builds a pool of requests in init() (building one per request would cost wrk CPU
-- that the server under test needs on a small machine) and cycles through it; the bodies differ in
-- currencies, channel and description. response() counts the status codes per thread, and done()
-- adds them up and prints "bench.<key> <value>" lines that bench/run parses. Latencies are in ms.
--
-- BENCH_BATCH=N: each request is a POST /orders/batch of N such orders instead (a 200 then stands for N orders).

local BATCH = tonumber(os.getenv("BENCH_BATCH") or "0") or 0
local POOL = BATCH > 0 and 256 or 4096
local CHANNELS = { 0, 1, 2, 3, 4, 11, 12, 13, 14, 21, 23, 31, 32, 33, 34, 41, 42, 51, 52, 53, 54, 61 }

local threads = {}
local next_id = 1

-- runs in the setup environment, once per thread, before the threads start
function setup(thread)
   thread:set("tid", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

-- runs in each thread's own environment
function init(args)
   local path = args[1] or wrk.path
   if path == nil or path == "" then
      path = "/orders"
   end
   local headers = { ["Content-Type"] = "application/json" }
   -- BENCH_AUTHORIZATION="Bearer <key>": measure a pipeline that authenticates its clients
   local authorization = os.getenv("BENCH_AUTHORIZATION")
   if authorization ~= nil and authorization ~= "" then
      headers["Authorization"] = authorization
   end
   local function order(k)
      return string.format('{"src_currency":%d,"dst_currency":%d,"description":"bench order %d","channel":%d}',
         (k * 7) % 1000, (k * 13 + 1) % 1000, k, CHANNELS[(k % #CHANNELS) + 1])
   end
   requests = {}
   for i = 1, POOL do
      local k = (tid - 1) * POOL + i
      local body
      if BATCH > 0 then
         local orders = {}
         for j = 1, BATCH do
            orders[j] = order(k * BATCH + j)
         end
         body = "[" .. table.concat(orders, ",") .. "]"
      else
         body = order(k)
      end
      requests[i] = wrk.format("POST", path, headers, body)
   end
   cursor = 0
   ok = 0
   statuses = {}
end

function request()
   cursor = cursor % POOL + 1
   return requests[cursor]
end

function response(status, headers, body)
   if status == 200 then
      ok = ok + 1
   else
      statuses[status] = (statuses[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local ok_total, other_total = 0, 0
   local other = {}
   for _, thread in ipairs(threads) do
      ok_total = ok_total + (thread:get("ok") or 0)
      local s = thread:get("statuses") or {}
      for code, n in pairs(s) do
         other[code] = (other[code] or 0) + n
         other_total = other_total + n
      end
   end
   local e = summary.errors
   local out = {
      { "requests", summary.requests },
      { "duration_s", string.format("%.3f", summary.duration / 1e6) },
      { "ok200", ok_total },
      { "non200", other_total },
      { "errors_connect", e.connect },
      { "errors_read", e.read },
      { "errors_write", e.write },
      { "errors_timeout", e.timeout },
      { "latency_avg_ms", string.format("%.3f", latency.mean / 1000) },
      { "latency_p50_ms", string.format("%.3f", latency:percentile(50) / 1000) },
      { "latency_p95_ms", string.format("%.3f", latency:percentile(95) / 1000) },
      { "latency_p99_ms", string.format("%.3f", latency:percentile(99) / 1000) },
      { "latency_max_ms", string.format("%.3f", latency.max / 1000) },
   }
   for _, kv in ipairs(out) do
      io.write(string.format("bench.%s %s\n", kv[1], tostring(kv[2])))
   end
   local codes = {}
   for code, n in pairs(other) do
      table.insert(codes, string.format("%s=%d", tostring(code), n))
   end
   table.sort(codes)
   io.write("bench.other_statuses " .. (#codes > 0 and table.concat(codes, ";") or "none") .. "\n")
end
