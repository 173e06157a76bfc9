// Process-wide spdlog setup: text or JSON lines on stderr. Never log secrets or bodies.
#pragma once

#include <string>

#include "config/config.h"

namespace hookgate::gateway {

// Returns false (and leaves logging as it was) for an unknown level name. Call
// spdlog::shutdown() before exit to flush the asynchronous queue.
bool configure_logging(const std::string& level, config::LogFormat format);

}  // namespace hookgate::gateway
