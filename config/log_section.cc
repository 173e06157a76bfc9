// log: level and line format.
#include "config/sections.h"

namespace hookgate::config::detail {

void parse_log(const Value& section, LogConfig& out) {
  MapReader map(section);
  if (auto v = map.get("level")) {
    static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
    if (auto index = v->one_of(kLevels)) out.level = std::string(kLevels[*index]);
  }
  if (auto v = map.get("format")) {
    if (auto format = v->choice<LogFormat>({{"text", LogFormat::text}, {"json", LogFormat::json}})) {
      out.format = *format;
    }
  }
}

}  // namespace hookgate::config::detail
