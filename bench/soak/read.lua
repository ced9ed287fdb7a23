-- wrk: the readers of bench/soak/run. Alternately the details of a product (any of COUNT, including
-- those the writers are evolving) and a page of 50 products of one domain.
-- Environment: TOKEN, COUNT, PER_DOMAIN, HISTOGRAM.
package.path = os.getenv("SOAK_DIR") .. "/?.lua;" .. package.path
require("common")
local token = os.getenv("TOKEN")
local count = tonumber(os.getenv("COUNT"))
local per_domain = tonumber(os.getenv("PER_DOMAIN"))
local counter = 0

function request()
  counter = counter + 1
  local index = (counter * 7919) % count
  local domain = string.format("d%03d", math.floor(index / per_domain))
  local path
  if counter % 2 == 0 then
    path = string.format("/v1/products/%s/p%06d/details", domain, index)
  else
    path = string.format("/v1/products?domain=%s&limit=50", domain)
  end
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
