// Reading a body a command is given: a file, or standard input for "-" (and for no path).
#pragma once

#include <string>

namespace hookgate::gateway::cli {

// False when the file cannot be opened or standard input fails.
[[nodiscard]] bool read_body_input(const std::string& path, std::string& body);

}  // namespace hookgate::gateway::cli
