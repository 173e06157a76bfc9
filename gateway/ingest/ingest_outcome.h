// How one ingest request ended. IngestPipeline::finish() is the only place that turns one into
// the vendor's answer, counting and logging it on the way, so a new kind of ending cannot miss
// a counter or a log line: the switch over Kind has no default, and -Wswitch names a kind it
// does not handle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "verify/verifier.h"

namespace hookgate::gateway::ingest {

struct IngestOutcome {
  enum class Kind : uint8_t {
    not_found,           // no source at this path: 404
    method_not_allowed,  // 405 with Allow
    rejected,            // 401 with the verdict
    handshake,           // a handshake or challenge answered with the vendor's reply (never stored)
    stored,              // durable: the preset's success status
    duplicate,           // a retry of a stored event: the same answer, the first event's id
    store_failed,        // 503: the store could not make it durable
    overloaded,          // 503: the store's queue is full or closed
    internal,            // 500: a state the code should never reach, logged as an error
  };
  IngestOutcome() = default;
  explicit IngestOutcome(Kind ending, bool of_handshake = false) : kind(ending), handshake(of_handshake) {}

  Kind kind = Kind::internal;
  // Of a handshake: also its store_failed, overloaded and internal endings (their log lines
  // say result=handshake, and they count as handshakes rather than as store failures).
  bool handshake = false;
  verify::Verdict verdict = verify::Verdict::ok;  // rejected
  int status = 200;                                // stored, duplicate: the success status
  std::string public_id;                           // stored, duplicate
  std::string success_body;                        // stored, duplicate: the preset's, if any
  verify::HandshakeReply reply;                    // handshake
  bool secret_stored = false;                      // handshake: it handed over a secret, now durable
  bool answers_get = false;                        // method_not_allowed: Allow has GET too
  size_t path_length = 0;                          // not_found: for the log, never the path itself
};

}  // namespace hookgate::gateway::ingest
