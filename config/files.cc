#include "config/files.h"

#include <cerrno>
#include <cstdio>
#include <string_view>
#include <system_error>
#include <utility>

namespace hookgate::config::detail {

FileRead read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  FileRead result;
  const auto reason = [](int err) { return std::error_code(err, std::generic_category()).message(); };
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    result.error = reason(errno);
    return result;
  }
  // fopen succeeds on a directory; the first fread then fails with EISDIR.
  std::string content;
  char buffer[8192];
  int read_error = 0;
  for (;;) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, file);
    content.append(buffer, n);
    if (content.size() > max_bytes) {
      result.error = "file too large (more than " + std::to_string(max_bytes) + " bytes)";
      break;
    }
    if (n < sizeof buffer) {
      if (std::ferror(file) != 0) read_error = errno != 0 ? errno : EIO;
      break;
    }
  }
  std::fclose(file);
  if (read_error != 0) {
    result.error = reason(read_error);
  } else if (result.error.empty()) {
    result.content = std::move(content);
  }
  return result;
}

std::filesystem::path resolve_path(const std::filesystem::path& base, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_absolute() || base.empty()) return p.lexically_normal();
  return (base / p).lexically_normal();
}

SecretResolution resolve_secret(std::string value, const std::filesystem::path& base, bool show_path) {
  constexpr std::string_view kPrefix = "file:";
  if (value.compare(0, kPrefix.size(), kPrefix) != 0) return {std::move(value), {}};
  const std::string name = value.substr(kPrefix.size());
  if (name.empty()) return {std::nullopt, "empty path after 'file:'"};
  const auto path = resolve_path(base, name);
  // Secrets and PEM keys are small; a huge file is a mistake (e.g. pointing at a log).
  constexpr std::size_t kMaxSecretFile = 1 << 20;
  auto read = read_file(path, kMaxSecretFile);
  if (!read.content) {
    return {std::nullopt, show_path ? "cannot read secret file '" + path.string() + "': " + read.error
                                    : "cannot read the secret file this value names after substitution (path not "
                                      "shown: it holds environment values): " + read.error};
  }
  std::string content = std::move(*read.content);
  // Editors end files with a newline that is not part of the secret.
  if (!content.empty() && content.back() == '\n') {
    content.pop_back();
    if (!content.empty() && content.back() == '\r') content.pop_back();
  }
  return {std::move(content), {}};
}

}  // namespace hookgate::config::detail
