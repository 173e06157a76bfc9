// A whole-seconds duration as listings show it: "none", "90s", "5m", "36h".
#pragma once

#include <chrono>
#include <string>

namespace hookgate::verify {

[[nodiscard]] inline std::string duration_text(std::chrono::seconds s) {
  const auto n = s.count();
  if (n == 0) return "none";
  if (n % 3600 == 0) return std::to_string(n / 3600) + "h";
  if (n % 60 == 0) return std::to_string(n / 60) + "m";
  return std::to_string(n) + "s";
}

}  // namespace hookgate::verify
