// Typed, error-collecting access to the YAML tree. Every accessor reports its own problem
// (with position and key path) to the Diagnostics and returns nullopt, so section parsers
// read like a schema and keep going after an error. Nothing here throws.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/diagnostics.h"

namespace hookgate::config::detail {

// What every parser of one load shares. Single-threaded, lives for one load.
struct Context {
  Diagnostics& diagnostics;
  EnvLookup env;                   // never null
  std::filesystem::path base_dir;  // relative paths resolve here; empty = leave relative
};

// A YAML node together with its key path ("sources.stripe.verify") and a fallback position
// (its key's) for nodes that have none of their own, such as the null in "key:".
class Value {
 public:
  Value(Context& context, YAML::Node node, std::string path, Position fallback);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] Position position() const;
  [[nodiscard]] Context& context() const { return *context_; }

  [[nodiscard]] bool is_null() const;
  [[nodiscard]] bool is_map() const;
  [[nodiscard]] bool is_list() const;
  [[nodiscard]] bool is_scalar() const;
  // For messages: "a map", "a list", "a string", "nothing".
  [[nodiscard]] std::string_view kind() const;

  // Reports `message` at this value's position and path.
  void error(std::string message) const;

  // A scalar's substituted text and how it may be quoted in messages.
  struct Text {
    std::string value;
    std::string shown;  // "'5x'" or "'${T}' (after substitution)"; empty when sensitive
    bool substituted = false;
  };

  // A scalar as a string, ${NAME} substituted. Null and non-scalars are errors.
  [[nodiscard]] std::optional<std::string> text() const;
  // text(), with how it may be quoted in a message (never an environment value).
  [[nodiscard]] std::optional<Text> quotable_text() const { return scalar(false); }
  // text(), and not empty.
  [[nodiscard]] std::optional<std::string> non_empty_text() const;
  // A secret: text(), then `file:<path>` replaced by the file's content; must not be empty.
  // Messages never include the value.
  [[nodiscard]] std::optional<std::string> secret() const;
  // A filesystem path, resolved against the config file's directory.
  [[nodiscard]] std::optional<std::string> file_path() const;
  // An HTTP header name.
  [[nodiscard]] std::optional<std::string> header_name() const;

  [[nodiscard]] std::optional<uint64_t> integer(uint64_t min, uint64_t max) const;
  [[nodiscard]] std::optional<uint64_t> size(uint64_t min, uint64_t max) const;
  [[nodiscard]] std::optional<Duration> duration(Duration min, Duration max) const;
  [[nodiscard]] std::optional<uint32_t> percent() const;
  // The index of the text among `names`; otherwise an error listing them.
  [[nodiscard]] std::optional<std::size_t> one_of(std::span<const std::string_view> names) const;

  template <class E>
  [[nodiscard]] std::optional<E> choice(std::initializer_list<std::pair<std::string_view, E>> options) const {
    std::vector<std::string_view> names;
    for (const auto& option : options) names.push_back(option.first);
    const auto index = one_of(names);
    if (!index) return std::nullopt;
    return (options.begin() + static_cast<std::ptrdiff_t>(*index))->second;
  }

  // The elements of a list ("path[i]"); null reads as an empty list; anything else is an error
  // and yields no elements.
  [[nodiscard]] std::vector<Value> items() const;
  // A list of strings (or, if `allow_single`, one string meaning a list of one). nullopt when
  // any element failed.
  [[nodiscard]] std::optional<std::vector<std::string>> strings(bool allow_single) const;

 private:
  friend class MapReader;  // iterates node_

  [[nodiscard]] std::optional<Text> scalar(bool sensitive) const;

  Context* context_;
  YAML::Node node_;
  std::string path_;
  Position fallback_;
};

// A map read against a schema: unknown keys (with a "did you mean" suggestion) and duplicate
// keys are reported while constructing. Null reads as an empty map.
class MapReader {
 public:
  struct Entry {
    std::string key;
    Position key_position;
    Value value;
  };

  // A map with a fixed set of keys.
  MapReader(const Value& map, std::initializer_list<std::string_view> known_keys);
  // A map whose keys are chosen by the user (source names, header names): only duplicates and
  // non-string keys are reported.
  [[nodiscard]] static MapReader open(const Value& map);

  // False when the value was not a map (already reported).
  [[nodiscard]] bool valid() const { return valid_; }
  [[nodiscard]] const Value& value() const { return map_; }
  // In file order, the first of duplicates only.
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }

  [[nodiscard]] std::optional<Value> get(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return get(key).has_value(); }
  // get(), reporting "missing required key" at the map when absent (and the map was valid).
  [[nodiscard]] std::optional<Value> require(std::string_view key) const;

 private:
  MapReader(const Value& map, std::span<const std::string_view> known_keys, bool open);

  Value map_;
  bool valid_ = true;
  std::vector<Entry> entries_;
};

// "a.b" + "c" = "a.b.c"; "" + "c" = "c".
[[nodiscard]] std::string join_path(const std::string& parent, std::string_view key);

}  // namespace hookgate::config::detail
