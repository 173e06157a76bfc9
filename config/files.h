// The filesystem side of loading: reading files, resolving relative paths against the
// config file's directory, and `file:` secrets.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace hookgate::config::detail {

// The contents of a file, or a reason ("No such file or directory", "file too large").
struct FileRead {
  std::optional<std::string> content;
  std::string error;
};
[[nodiscard]] FileRead read_file(const std::filesystem::path& path, std::size_t max_bytes);

// `path` if absolute or `base` is empty, else base / path (lexically normalised).
[[nodiscard]] std::filesystem::path resolve_path(const std::filesystem::path& base,
                                                 const std::string& path);

// If `value` is "file:<path>", the file's content minus one trailing newline ("\n" or
// "\r\n"); `path` resolves against `base`. Otherwise `value` unchanged. `error` gives the
// reason and, when `show_path`, the path; never the content. A path built from ${NAME}s is
// not shown: it would carry the variables' values.
struct SecretResolution {
  std::optional<std::string> value;
  std::string error;
};
[[nodiscard]] SecretResolution resolve_secret(std::string value, const std::filesystem::path& base,
                                              bool show_path = true);

}  // namespace hookgate::config::detail
