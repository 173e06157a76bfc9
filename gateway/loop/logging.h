// Process-wide spdlog setup: text or JSON lines on stderr. Never log secrets or bodies.
#pragma once

#include <string>

#include "config/config.h"

namespace hookgate::gateway::loop {

// Returns false (and leaves logging as it was) for an unknown level name. Lines reach stderr
// within 100 ms (errors at once), written by a thread of their own: logging never does I/O on
// the caller's thread. Call spdlog::shutdown() before exit to write out what is buffered.
bool configure_logging(const std::string& level, config::LogFormat format);

}  // namespace hookgate::gateway::loop
