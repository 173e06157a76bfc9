#include "gateway/cli/body_input.h"

#include <fstream>
#include <iostream>
#include <iterator>

namespace hookgate::gateway::cli {

bool read_body_input(const std::string& path, std::string& body) {
  if (path.empty() || path == "-") {
    body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  body.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace hookgate::gateway::cli
