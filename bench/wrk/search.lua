-- GET /providers?q=provider-{1..10000} (a trigram search that matches 1-11 providers), at random (item 4).
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args) math.randomseed(os.time() * 1000 + id) end
function request()
  return wrk.format("GET", "/providers?q=provider-" .. math.random(1, 10000))
end
