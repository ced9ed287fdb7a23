-- wrk: the writers of bench/soak/run. Alternately an evolve (POST /v1/products) of one of this wrk's
-- SLICE products starting at FIRST, each to its next minor version from MINOR_BASE on, and a usage report
-- (POST /v1/usage) of EVENTS new events (ids unique per PREFIX) on one of them. Products of one wrk are
-- never written by another, and a product's next evolve comes SLICE evolves later: no two requests race
-- for one version, so every write should be answered 2xx (unless a request waits longer than SLICE
-- evolves take: then it arrives after its product's next version and is answered 409).
-- Environment: TOKEN, TEMPLATE (a file: the evolve body with @DOMAIN@, @NAME@, @VERSION@), FIRST, SLICE,
-- PER_DOMAIN, MINOR_BASE, PREFIX, EVENTS, HISTOGRAM.
package.path = os.getenv("SOAK_DIR") .. "/?.lua;" .. package.path
require("common")
local token = os.getenv("TOKEN")
local first = tonumber(os.getenv("FIRST"))
local slice = tonumber(os.getenv("SLICE"))
local per_domain = tonumber(os.getenv("PER_DOMAIN"))
local minor_base = tonumber(os.getenv("MINOR_BASE"))
local prefix = os.getenv("PREFIX")
local events = tonumber(os.getenv("EVENTS"))
local file = assert(io.open(os.getenv("TEMPLATE")))
local template = file:read("*a")
file:close()
local evolves = 0
local reports = 0
local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
local lines_headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/x-ndjson"}

local function product(index)
  return string.format("d%03d", math.floor(index / per_domain)), string.format("p%06d", index)
end

function request()
  if (evolves + reports) % 2 == 0 then
    local index = first + evolves % slice
    local version = string.format("1.%d.0", minor_base + math.floor(evolves / slice))
    evolves = evolves + 1
    local domain, name = product(index)
    local body = template:gsub("@DOMAIN@", domain):gsub("@NAME@", name):gsub("@VERSION@", version)
    return wrk.format("POST", "/v1/products", headers, body)
  end
  local domain, name = product(first + reports % slice)
  reports = reports + 1
  local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local lines = {}
  for event = 1, events do
    lines[event] = string.format(
        '{"id":"%s-%d-%d","time":"%s","product":"%s/%s","port":"%s-table","consumer":"soak-reader-%d"}',
        prefix, reports, event, now, domain, name, name, event % 4)
  end
  return wrk.format("POST", "/v1/usage", lines_headers, table.concat(lines, "\n") .. "\n")
end
