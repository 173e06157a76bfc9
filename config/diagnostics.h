// Collects every problem found while loading, each tied to a position and a key path.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/mark.h>

#include "config/config.h"

namespace hookgate::config::detail {

// 1-based; {0, 0} when unknown.
struct Position {
  int line = 0;
  int column = 0;
};

// yaml-cpp marks are 0-based, and -1 when absent.
[[nodiscard]] Position position_of(const YAML::Mark& mark);

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void report(Position at, std::string key_path, std::string message);

  [[nodiscard]] std::size_t count() const { return errors_.size(); }

  // Every error, in file order (by line, then column; positionless ones last, in the order
  // they were reported).
  [[nodiscard]] std::vector<ConfigError> take_sorted();

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

}  // namespace hookgate::config::detail
