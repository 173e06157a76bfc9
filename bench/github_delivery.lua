-- wrk script: signed GitHub-style posts with a 1 KiB body. The signature covers the body
-- only, so one precomputed signature is valid for every request, while each request carries
-- a distinct X-GitHub-Delivery id: every request is a new event (no dedupe short-cut), also
-- across runs against the same database (the tag includes the start time).
local body = os.getenv("BENCH_BODY")
local signature = os.getenv("BENCH_SIGNATURE")
local counter = 0
-- A global, not a local: setup() reaches each thread's state only through thread:set(), which
-- writes globals (a `local thread_tag` here would shadow it and stay empty).
thread_tag = ""

function setup(thread)
  math.randomseed(os.time())
  -- BENCH_TAG tells apart two wrk processes started in the same second (the same seed).
  thread:set("thread_tag", (os.getenv("BENCH_TAG") or "") .. os.time() .. "-" .. tostring(math.random(1, 1e9)))
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/in/github", {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = "push",
    ["X-GitHub-Delivery"] = thread_tag .. "-" .. counter,
    ["X-Hub-Signature-256"] = signature,
  }, body)
end
