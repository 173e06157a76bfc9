#include "gateway/cli/ready_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "verify/json_text.h"

namespace hookgate::gateway::cli {

std::string ready_file_json(const ServeState& state) {
  std::string out = "{\"pid\":" + std::to_string(state.pid) + ",\"listeners\":[";
  for (size_t i = 0; i < state.listeners.size(); ++i) {
    if (i > 0) out += ",";
    verify::append_json_string(out, state.listeners[i]);
  }
  out += "],\"admin\":";
  verify::append_json_string(out, state.admin);
  out += ",\"reloads\":{\"applied\":" + std::to_string(state.reloads_applied) +
         ",\"refused\":" + std::to_string(state.reloads_refused) + "},\"tls_reloads\":{\"reloaded\":" +
         std::to_string(state.tls_reloaded) + ",\"kept\":" + std::to_string(state.tls_kept) + "}}\n";
  return out;
}

bool write_ready_file(const std::string& path, const ServeState& state, std::string& error) {
  const std::string temporary = path + ".tmp";
  const std::string text = ready_file_json(state);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot write " + temporary + ": " + std::strerror(errno);
    return false;
  }
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = "cannot write " + temporary + ": " + std::strerror(errno);
      ::close(fd);
      ::unlink(temporary.c_str());
      return false;
    }
    written += static_cast<size_t>(n);
  }
  ::close(fd);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    error = "cannot rename " + temporary + " to " + path + ": " + std::strerror(errno);
    ::unlink(temporary.c_str());
    return false;
  }
  return true;
}

}  // namespace hookgate::gateway::cli
