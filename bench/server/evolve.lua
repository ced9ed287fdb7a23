-- wrk: POST /v1/products evolving products to new versions. Each wrk thread owns
-- its own slice of the products, so two requests never race for one product's
-- next version; request n of a thread evolves product (n mod SLICE) of its slice
-- to version 1.(n div SLICE + 1).0.
-- Environment: TOKEN, TEMPLATE (a file: the JSON body with @DOMAIN@, @NAME@, @VERSION@),
-- COUNT, PER_DOMAIN, THREADS.
local token = os.getenv("TOKEN")
local count = tonumber(os.getenv("COUNT") or "10000")
local per_domain = tonumber(os.getenv("PER_DOMAIN") or "1000")
local threads = tonumber(os.getenv("THREADS") or "2")
local file = io.open(os.getenv("TEMPLATE"))
local template = file:read("*a")
file:close()
local next_id = 0
local counter = 0

function setup(thread)
  thread:set("slice_id", next_id)
  next_id = next_id + 1
end

function request()
  local slice = math.floor(count / threads)
  local index = slice_id * slice + counter % slice
  local version = string.format("1.%d.0", math.floor(counter / slice) + 1)
  counter = counter + 1
  local body = template:gsub("@DOMAIN@", string.format("d%03d", math.floor(index / per_domain)))
                       :gsub("@NAME@", string.format("p%06d", index))
                       :gsub("@VERSION@", version)
  return wrk.format("POST", "/v1/products",
                    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
