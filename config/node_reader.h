// Typed, error-collecting access to the YAML tree. Every accessor reports its own problem
// (with position and key path) to the Diagnostics and returns nullopt, so section parsers
// read like a schema and keep going after an error. Nothing here throws.
//
// Every Value knows its shape in the key tables (keys.h): maps accept exactly their table's
// keys, and the typed accessors take bounds and choices from there. A parser that reads a key
// the table does not declare, or with an accessor of another type, is a broken invariant: the
// process aborts with the key's path (any test that reaches the read finds it).
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
#include "config/keys.h"

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
  Value(Context& context, YAML::Node node, std::string path, Position fallback, const keys::Shape& shape);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const keys::Shape& shape() const { return *shape_; }
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
  [[nodiscard]] std::optional<Text> quotable_text() const {
    expect(keys::Scalar::text);
    return scalar(false);
  }
  // text(), and not empty.
  [[nodiscard]] std::optional<std::string> non_empty_text() const;
  // A secret: text(), then `file:<path>` replaced by the file's content; must not be empty.
  // Messages never include the value.
  [[nodiscard]] std::optional<std::string> secret() const;
  // A filesystem path, resolved against the config file's directory.
  [[nodiscard]] std::optional<std::string> file_path() const;
  // An HTTP header name.
  [[nodiscard]] std::optional<std::string> header_name() const;

  // Within the key's bounds (keys.cc).
  [[nodiscard]] std::optional<uint64_t> integer() const;
  [[nodiscard]] std::optional<uint64_t> size() const;
  [[nodiscard]] std::optional<Duration> duration() const;
  [[nodiscard]] std::optional<uint32_t> percent() const;
  // The index of the text among `names`, which must be the key's choices in the table's
  // order (or true, false for a boolean); otherwise an error listing them.
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
  // Aborts unless the key's table gives it the scalar form `kind` (or, for `text`, any).
  void expect(keys::Scalar kind) const;

  Context* context_;
  YAML::Node node_;
  std::string path_;
  Position fallback_;
  const keys::Shape* shape_;
};

// A map read against its key table: unknown keys (with a "did you mean" suggestion), duplicate
// keys and missing required keys are reported while constructing. Null reads as an empty map.
class MapReader {
 public:
  struct Entry {
    std::string key;
    Position key_position;
    Value value;
  };

  // A map with the keys of its table (`map.shape().map`).
  explicit MapReader(const Value& map);
  // A map whose keys are chosen by the user (source names, header names;
  // `map.shape().named`): only duplicates and non-string keys are reported.
  [[nodiscard]] static MapReader open(const Value& map);

  // False when the value was not a map (already reported).
  [[nodiscard]] bool valid() const { return valid_; }
  [[nodiscard]] const Value& value() const { return map_; }
  // In file order, the first of duplicates only.
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }

  // A key of the table (aborts on any other).
  [[nodiscard]] std::optional<Value> get(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return get(key).has_value(); }
  // get() of a key the table marks required (its absence was reported at construction).
  [[nodiscard]] std::optional<Value> require(std::string_view key) const;
  // get(), or a null Value standing for the absent key (a section left out).
  [[nodiscard]] Value get_or_null(std::string_view key) const;

 private:
  MapReader(const Value& map, bool open);
  void read_entries(bool open, std::span<const std::string_view> known_keys);
  [[nodiscard]] const keys::Field& declared(std::string_view key) const;

  Value map_;
  bool valid_ = true;
  std::vector<Entry> entries_;
};

// "a.b" + "c" = "a.b.c"; "" + "c" = "c".
[[nodiscard]] std::string join_path(const std::string& parent, std::string_view key);

}  // namespace hookgate::config::detail
