// The grammar of the config file, declared once (keys.cc): every map's keys, each with its
// form, bounds, whether it is required, its default and what it means. Both sides read it:
// - the section parsers (node_reader.h): a MapReader accepts exactly its table's keys and
//   reports missing required ones; a Value's typed accessors take their bounds and choices
//   from its key, and crash on a key the table does not declare or declares with another type;
// - `hookgate config-schema` (json_schema.h), which prints it as a JSON Schema.
// So the checks and the published schema cannot drift apart.
//
// The tables are constant data with static storage: pointers into them stay valid for the
// life of the process, and any thread may read them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hookgate::config::keys {

// The scalar form a value may take. All are YAML scalars; `${NAME}` may stand for any of them.
enum class Scalar : uint8_t {
  none,         // no scalar form
  text,         // any string
  secret,       // a string, or file:<path> naming a file that holds it; never shown in messages
  path,         // a file path, relative to the config file's directory
  header_name,  // an HTTP field name (RFC 9110 token)
  url,          // http:// or https://
  address,      // IP:port, IPv6 in brackets
  integer,      // decimal digits, between min and max
  size,         // bytes, with an optional binary unit (64KiB), between min and max
  duration,     // ms, s, m, h or d (a bare number is seconds), between min and max milliseconds
  percent,      // "20%" or "20", 0..100
  rate_limit,   // "<count>/<s|m|h>"
  boolean,      // true or false
  choice,       // one of `choices`
  value,        // any scalar, read as its text: a string, a number, true/false, null (filter operands)
};

struct Map;

// Source and destination names (values.h is_valid_name): they become SQL values, metric labels
// and URL path segments.
inline constexpr std::string_view kNamePattern = "^[a-z0-9_-]{1,64}$";
// An HTTP field name (values.h is_header_name).
inline constexpr std::string_view kHeaderNamePattern = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

// What a value may be. More than one form may be allowed: a listener is an address or a map,
// a route's `to` is a name or a list of names.
struct Shape {
  Scalar scalar = Scalar::none;
  uint64_t min = 0;                         // integer, size (bytes), duration (ms)
  uint64_t max = 0;
  std::span<const std::string_view> choices = {};  // choice
  std::vector<std::string> (*dynamic_choices)() = nullptr;  // choice, when the list is not fixed
  std::string_view pattern = {};            // text: an ECMA-262 regex the whole value matches
  uint32_t min_length = 0;                  // text
  const Map* map = nullptr;                 // a map with the keys of this table
  const Shape* list = nullptr;              // a list of these (null reads as an empty list)
  uint32_t min_items = 0;                   // list
  uint32_t max_items = 0;                   // list; 0 = no limit
  const Shape* named = nullptr;             // a map from user-chosen keys to these
  std::string_view key_pattern = {};        // named: the regex every key matches
  // A shape that contains itself (a route filter's values) has a title: the schema defines it
  // once under $defs and refers to it, as it does for every Map.
  std::string_view title = {};
};

// One key of a map.
struct Field {
  std::string_view name = {};
  Shape shape = {};
  bool required = false;
  // The default as a JSON literal ("\"10s\"", "16", "true", "[...]"); empty when there is none
  // or it depends on other keys (the description says so).
  std::string_view fallback = {};
  std::string_view description = {};
  // Reported instead of "missing required key '<name>'" when a required key is absent.
  std::string_view missing_message = {};
};

// The keys of one map.
struct Map {
  std::string_view title = {};             // its name under the schema's $defs
  std::string_view description = {};
  std::span<const Field> fields = {};      // in the order the schema lists them
  // Exactly one of these keys must be present (storage: path or url). The parser states the
  // rule with its own message; the schema states it as oneOf.
  std::span<const std::string_view> exactly_one_of = {};

  // The field named `name`; nullptr when the table has none.
  [[nodiscard]] const Field* field(std::string_view name) const;
};

// The whole file: its top-level map. Every other table is reached from it.
[[nodiscard]] const Shape& root();

// The values a boolean is written as.
[[nodiscard]] std::span<const std::string_view> boolean_names();

}  // namespace hookgate::config::keys
