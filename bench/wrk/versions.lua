-- GET /providers/cat/provider-{1..10000}/versions/1.0.{0..9}, uniformly at random (item 4).
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args) math.randomseed(os.time() * 1000 + id) end
function request()
  return wrk.format("GET", "/providers/cat/provider-" .. math.random(1, 10000) .. "/versions/1.0." .. math.random(0, 9))
end
