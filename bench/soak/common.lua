-- Shared by read.lua and write.lua: the first few refused answers on stderr, and at the end the latency
-- histogram (microseconds: "value count" per line) in the file HISTOGRAM, so that bench/soak/run can
-- merge the replicas' histograms into exact percentiles.
local shown = 0

function response(status, headers, body)
  if status >= 300 and shown < 5 then
    shown = shown + 1
    io.stderr:write(string.format("wrk: HTTP %d: %s\n", status, string.sub(body or "", 1, 300)))
  end
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("HISTOGRAM"), "w"))
  for i = 1, #latency do
    local value, count = latency(i)
    out:write(string.format("%d %d\n", value, count))
  end
  local errors = summary.errors
  out:write(string.format("# requests %d connect %d read %d write %d status %d timeout %d duration_us %d "
                          .. "p50_us %d p99_us %d\n",
                          summary.requests, errors.connect, errors.read, errors.write, errors.status,
                          errors.timeout, summary.duration, latency:percentile(50), latency:percentile(99)))
  out:close()
end
