-- wrk: GET the details of product i (cycling through COUNT products) with a bearer token.
-- Environment: TOKEN, COUNT, PER_DOMAIN.
local token = os.getenv("TOKEN")
local count = tonumber(os.getenv("COUNT") or "10000")
local per_domain = tonumber(os.getenv("PER_DOMAIN") or "1000")
local counter = 0

function setup(thread)
  thread:set("offset", math.random(0, count - 1))
end

function request()
  counter = counter + 1
  local index = ((offset or 0) + counter * 7919) % count
  local path = string.format("/v1/products/d%03d/p%06d/details", math.floor(index / per_domain), index)
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
