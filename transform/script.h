// An operator's transformation: a Lua 5.4 script that defines `function transform(event)` and
// reshapes one delivery. It is compiled once, at config load (syntax errors and top-level
// errors come out as "path:line: message"), and each run starts from a fresh sandboxed state
// (sandbox.h), so nothing a run leaves behind reaches another event or destination.
//
// A run gets `event` = {source, type, id, headers, body, path, query, json()} and returns it,
// changed or not, to deliver it; or nil (with an optional reason as a second value) to skip
// the delivery. `headers` maps lower-case names to values (repeated fields joined by ", "),
// `path` and `query` (without '?') are the destination URL's, `json()` decodes the body.
// Sans-I/O: the caller gives the clock; a Script is immutable and shared across threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "transform/sandbox.h"

namespace hookgate::transform {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Delivery {
  std::string source;
  std::string type;        // the event type; empty when the vendor gave none
  std::string id;          // the event's public id
  Headers headers;         // as they would be sent, before hookgate's own (webhook-*, trace)
  std::string body;
  std::string path;        // the destination URL's path, "/" at least
  std::string query;       // its query, without '?'; may be empty
};

struct Result {
  enum class Outcome { deliver, skip, failed };
  Outcome outcome = Outcome::failed;
  Delivery delivery;       // deliver: what to send
  // skip: the reason (the script's, or a default); failed: "transform: …" (a broken cap, a
  // runtime error with its path:line, or a malformed return value).
  std::string message;
  Breach breach = Breach::none;  // failed: the cap it broke, if that is why
};

class Script {
 public:
  // Null with `error` set ("path:line: message", or why the chunk defines no transform()).
  // The top level runs once here, and in every run, under `limits`.
  [[nodiscard]] static std::shared_ptr<const Script> compile(const std::string& path, std::string_view source,
                                                             const Limits& limits, std::string& error);

  // `input` is taken by value: what the script does not change is moved into the result.
  [[nodiscard]] Result run(Delivery input, const MonotonicNow& now) const;

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  Script(std::string path, std::string bytecode, const Limits& limits)
      : path_(std::move(path)), bytecode_(std::move(bytecode)), limits_(limits) {}

  std::string path_;
  std::string bytecode_;   // lua_dump of the checked chunk: each run loads it without parsing
  Limits limits_;
};

}  // namespace hookgate::transform
