#include "config/node_reader.h"

#include <algorithm>

#include "config/files.h"
#include "config/interpolate.h"
#include "config/suggest.h"
#include "config/values.h"

namespace hookgate::config::detail {

std::string join_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out = parent;
  out += '.';
  out += key;
  return out;
}

// ---- Value ----------------------------------------------------------------------------------

Value::Value(Context& context, YAML::Node node, std::string path, Position fallback)
    : context_(&context), node_(std::move(node)), path_(std::move(path)), fallback_(fallback) {}

Position Value::position() const {
  if (!node_.IsDefined() || node_.IsNull()) return fallback_;
  const Position own = position_of(node_.Mark());
  return own.line > 0 ? own : fallback_;
}

bool Value::is_null() const { return !node_.IsDefined() || node_.IsNull(); }
bool Value::is_map() const { return node_.IsMap(); }
bool Value::is_list() const { return node_.IsSequence(); }
bool Value::is_scalar() const { return node_.IsScalar(); }

std::string_view Value::kind() const {
  if (is_map()) return "a map";
  if (is_list()) return "a list";
  if (is_scalar()) return "a string";
  return "nothing";
}

void Value::error(std::string message) const {
  context_->diagnostics.report(position(), path_, std::move(message));
}

std::optional<Value::Text> Value::scalar(bool sensitive) const {
  if (is_null()) {
    error("missing value");
    return std::nullopt;
  }
  if (!is_scalar()) {
    error("expected a string, got " + std::string(kind()));
    return std::nullopt;
  }
  const std::string& raw = node_.Scalar();
  auto interpolated = interpolate(raw, context_->env);
  bool ok = true;
  for (const auto& name : interpolated.unset) {
    // The name only: it is written in the file. Never a value.
    error("environment variable '" + name + "' is not set");
    ok = false;
  }
  if (interpolated.unterminated) {
    error("unterminated '${' (write '$$' for a literal '$')");
    ok = false;
  }
  if (interpolated.bad_name) {
    error("invalid environment variable name in '${...}' (use letters, digits and '_'; "
          "write '$$' for a literal '$')");
    ok = false;
  }
  if (!ok) return std::nullopt;
  Text out;
  out.value = std::move(interpolated.value);
  out.substituted = interpolated.substituted;
  if (!sensitive) {
    // Quote what is written in the file, not what the environment supplied: environment
    // values are often credentials even in fields that are not declared secret.
    out.shown = "'" + raw + "'";
    if (out.substituted) out.shown += " (after substitution)";
  }
  return out;
}

std::optional<std::string> Value::text() const {
  auto s = scalar(/*sensitive=*/false);
  if (!s) return std::nullopt;
  return std::move(s->value);
}

std::optional<std::string> Value::non_empty_text() const {
  auto s = scalar(/*sensitive=*/false);
  if (!s) return std::nullopt;
  if (s->value.empty()) {
    error(s->substituted ? "must not be empty (after substitution)" : "must not be empty");
    return std::nullopt;
  }
  return std::move(s->value);
}

std::optional<std::string> Value::secret() const {
  auto s = scalar(/*sensitive=*/true);
  if (!s) return std::nullopt;
  const bool substituted = s->substituted;
  auto resolved = resolve_secret(std::move(s->value), context_->base_dir, /*show_path=*/!substituted);
  if (!resolved.value) {
    error(resolved.error);
    return std::nullopt;
  }
  if (resolved.value->empty()) {
    error("secret is empty");
    return std::nullopt;
  }
  return std::move(*resolved.value);
}

std::optional<std::string> Value::file_path() const {
  auto s = non_empty_text();
  if (!s) return std::nullopt;
  return resolve_path(context_->base_dir, *s).string();
}

std::optional<std::string> Value::header_name() const {
  auto s = scalar(/*sensitive=*/false);
  if (!s) return std::nullopt;
  if (!is_header_name(s->value)) {
    error("invalid header name " + s->shown);
    return std::nullopt;
  }
  return std::move(s->value);
}

std::optional<uint64_t> Value::integer(uint64_t min, uint64_t max) const {
  auto s = scalar(/*sensitive=*/false);
  if (!s) return std::nullopt;
  const auto parsed = parse_unsigned(s->value);
  if (!parsed.value) {
    error("invalid number " + s->shown + ": " + parsed.error);
    return std::nullopt;
  }
  if (*parsed.value < min || *parsed.value > max) {
    error("must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + s->shown);
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<uint64_t> Value::size(uint64_t min, uint64_t max) const {
  auto s = scalar(/*sensitive=*/false);
  if (!s) return std::nullopt;
  const auto parsed = parse_size(s->value);
  if (!parsed.value) {
    error("invalid size " + s->shown + ": " + parsed.error);
    return std::nullopt;
  }
  if (*parsed.value < min || *parsed.value > max) {
    error("must be between " + format_size(min) + " and " + format_size(max) + ", got " + s->shown);
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<Duration> Value::duration(Duration min, Duration max) const {
  auto s = scalar(/*sensitive=*/false);
  if (!s) return std::nullopt;
  const auto parsed = parse_duration(s->value);
  if (!parsed.value) {
    error("invalid duration " + s->shown + ": " + parsed.error);
    return std::nullopt;
  }
  if (*parsed.value < min) {
    error(min == Duration{1} ? "must be greater than 0, got " + s->shown
                             : "must be at least " + format_duration(min) + ", got " + s->shown);
    return std::nullopt;
  }
  if (*parsed.value > max) {
    error("must be at most " + format_duration(max) + ", got " + s->shown);
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<uint32_t> Value::percent() const {
  auto s = scalar(/*sensitive=*/false);
  if (!s) return std::nullopt;
  const auto parsed = parse_percent(s->value);
  if (!parsed.value) {
    error("invalid percentage " + s->shown + ": " + parsed.error);
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<std::size_t> Value::one_of(std::span<const std::string_view> names) const {
  auto s = scalar(/*sensitive=*/false);
  if (!s) return std::nullopt;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (s->value == names[i]) return i;
  }
  std::string message = "invalid value " + s->shown + " (expected ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) message += i + 1 == names.size() ? " or " : ", ";
    message += names[i];
  }
  message += ")";
  if (auto guess = closest_match(s->value, names)) {
    message += "; did you mean '" + std::string(*guess) + "'?";
  }
  error(std::move(message));
  return std::nullopt;
}

std::vector<Value> Value::items() const {
  std::vector<Value> out;
  if (is_null()) return out;
  if (!is_list()) {
    error("expected a list, got " + std::string(kind()));
    return out;
  }
  const Position here = position();
  std::size_t index = 0;
  for (const auto& element : node_) {
    out.emplace_back(*context_, element, path_ + "[" + std::to_string(index) + "]", here);
    ++index;
  }
  return out;
}

std::optional<std::vector<std::string>> Value::strings(bool allow_single) const {
  std::vector<std::string> out;
  if (allow_single && is_scalar()) {
    auto one = text();
    if (!one) return std::nullopt;
    out.push_back(std::move(*one));
    return out;
  }
  if (!is_null() && !is_list()) {
    error("expected a list of strings, got " + std::string(kind()));
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& item : items()) {
    if (!item.is_scalar() && !item.is_null()) {
      item.error("expected a string, got " + std::string(item.kind()));
      ok = false;
      continue;
    }
    auto s = item.text();
    if (!s) {
      ok = false;
      continue;
    }
    out.push_back(std::move(*s));
  }
  if (!ok) return std::nullopt;
  return out;
}

// ---- MapReader ------------------------------------------------------------------------------

MapReader::MapReader(const Value& map, std::initializer_list<std::string_view> known_keys)
    : MapReader(map, std::span<const std::string_view>(known_keys.begin(), known_keys.size()), false) {}

MapReader MapReader::open(const Value& map) { return MapReader(map, {}, true); }

MapReader::MapReader(const Value& map, std::span<const std::string_view> known_keys, bool open)
    : map_(map) {
  if (map.is_null()) return;
  if (!map.is_map()) {
    map.error("expected a map, got " + std::string(map.kind()));
    valid_ = false;
    return;
  }
  Context& context = map.context();
  // Iterate rather than use operator[]: yaml-cpp keeps every pair of a map, duplicates
  // included, so iteration is the only way to see (and report) a duplicate key.
  for (const auto& pair : map.node_) {
    const YAML::Node& key_node = pair.first;
    const Position key_position = position_of(key_node.Mark());
    if (!key_node.IsScalar()) {
      context.diagnostics.report(key_position, map.path(), "keys must be strings");
      continue;
    }
    const std::string& key = key_node.Scalar();
    if (key == "<<" && key_node.Tag() == "?") {
      // yaml-cpp 0.7 does not implement YAML 1.1 merge keys: say so rather than "unknown key".
      context.diagnostics.report(key_position, map.path(), "YAML merge keys ('<<') are not supported");
      continue;
    }
    if (!open && std::find(known_keys.begin(), known_keys.end(), key) == known_keys.end()) {
      std::string message = "unknown key '" + key + "'";
      if (auto guess = closest_match(key, known_keys)) {
        message += " (did you mean '" + std::string(*guess) + "'?)";
      }
      context.diagnostics.report(key_position, map.path(), std::move(message));
      continue;
    }
    const std::string path = join_path(map.path(), key);
    const auto first = std::find_if(entries_.begin(), entries_.end(),
                                    [&key](const Entry& entry) { return entry.key == key; });
    if (first != entries_.end()) {
      // yaml-cpp would silently answer lookups with one of them; the author meant one.
      context.diagnostics.report(key_position, path,
                                 "duplicate key '" + key + "' (first defined at line " +
                                     std::to_string(first->key_position.line) + ")");
      continue;
    }
    entries_.push_back(Entry{key, key_position, Value(context, pair.second, path, key_position)});
  }
}

std::optional<Value> MapReader::get(std::string_view key) const {
  for (const auto& entry : entries_) {
    if (entry.key == key) return entry.value;
  }
  return std::nullopt;
}

std::optional<Value> MapReader::require(std::string_view key) const {
  auto found = get(key);
  if (!found && valid_) map_.error("missing required key '" + std::string(key) + "'");
  return found;
}

}  // namespace hookgate::config::detail
