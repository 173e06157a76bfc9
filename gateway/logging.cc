#include "gateway/logging.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace hookgate::gateway {

bool configure_logging(const std::string& level, config::LogFormat format) {
  const auto parsed = spdlog::level::from_str(level);
  // from_str maps anything unknown to "off"; only accept "off" when asked for.
  if (parsed == spdlog::level::off && level != "off") return false;
  auto logger = spdlog::get("hookgate");
  if (!logger) {
    // Formatting and the write(2) happen on a logging thread, not on the I/O loops. Under a
    // flood the oldest queued lines are dropped rather than stalling ingest.
    spdlog::init_thread_pool(16384, 1);
    logger = spdlog::create_async_nb<spdlog::sinks::stderr_sink_mt>("hookgate");
  }
  spdlog::set_default_logger(logger);
  spdlog::set_level(parsed);
  if (format == config::LogFormat::json) {
    // Messages are key=value text without quotes or backslashes, so they embed safely.
    spdlog::set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","thread":%t,"msg":"%v"})",
                        spdlog::pattern_time_type::utc);
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l [%t] %v", spdlog::pattern_time_type::utc);
  }
  return true;
}

}  // namespace hookgate::gateway
