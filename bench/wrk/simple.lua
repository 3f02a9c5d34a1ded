-- GET /simple/cat/provider-{1..10000}/ as pip asks for it (PEP 691 JSON preferred), uniformly at random (item 4).
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args) math.randomseed(os.time() * 1000 + id) end
function request()
  return wrk.format("GET", "/simple/cat/provider-" .. math.random(1, 10000) .. "/", {
    ["Accept"] = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01"
  })
end
