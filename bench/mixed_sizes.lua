-- wrk script for bench/run-all's allocator scenario: signed GitHub-style posts whose body is
-- picked at random among the signed bodies of BENCH_BODIES (one "signature<TAB>body" per line,
-- sizes spread from 128 B to 256 KiB), each with a distinct X-GitHub-Delivery id.
local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do
  local signature, body = line:match("^([^\t]+)\t(.*)$")
  bodies[#bodies + 1] = {signature = signature, body = body}
end
local counter = 0
-- A global, not a local: setup() reaches each thread's state only through thread:set(), which
-- writes globals (a `local thread_tag` here would shadow it and stay empty).
thread_tag = ""

function setup(thread)
  math.randomseed(os.time())
  thread:set("thread_tag", os.time() .. "-" .. tostring(math.random(1, 1e9)))
end

function request()
  counter = counter + 1
  local pick = bodies[math.random(1, #bodies)]
  return wrk.format("POST", "/in/github", {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = "push",
    ["X-GitHub-Delivery"] = thread_tag .. "-" .. counter,
    ["X-Hub-Signature-256"] = pick.signature,
  }, pick.body)
end
