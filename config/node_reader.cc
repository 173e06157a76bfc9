#include "config/node_reader.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "config/files.h"
#include "config/interpolate.h"
#include "config/suggest.h"
#include "config/values.h"

namespace hookgate::config::detail {

namespace {

// The parser and keys.cc disagree: a programming error, never a user's.
[[noreturn]] void table_mismatch(const std::string& path, std::string_view what) {
  std::fprintf(stderr, "hookgate: internal error: config key '%s': %.*s (config/keys.cc and its parser disagree)\n",
               path.c_str(), static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace

std::string join_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out = parent;
  out += '.';
  out += key;
  return out;
}

// ---- Value ----------------------------------------------------------------------------------

Value::Value(Context& context, YAML::Node node, std::string path, Position fallback, const keys::Shape& shape)
    : context_(&context), node_(std::move(node)), path_(std::move(path)), fallback_(fallback), shape_(&shape) {}

void Value::expect(keys::Scalar kind) const {
  if (shape_->scalar == keys::Scalar::none) table_mismatch(path_, "read as a scalar, declared without one");
  if (kind != keys::Scalar::text && shape_->scalar != kind) table_mismatch(path_, "read with another type than declared");
}

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
  expect(keys::Scalar::text);
  auto s = scalar(/*sensitive=*/false);
  if (!s) return std::nullopt;
  return std::move(s->value);
}

std::optional<std::string> Value::non_empty_text() const {
  expect(keys::Scalar::text);
  auto s = scalar(/*sensitive=*/false);
  if (!s) return std::nullopt;
  if (s->value.empty()) {
    error(s->substituted ? "must not be empty (after substitution)" : "must not be empty");
    return std::nullopt;
  }
  return std::move(s->value);
}

std::optional<std::string> Value::secret() const {
  expect(keys::Scalar::secret);
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
  expect(keys::Scalar::path);
  auto s = non_empty_text();
  if (!s) return std::nullopt;
  return resolve_path(context_->base_dir, *s).string();
}

std::optional<std::string> Value::header_name() const {
  expect(keys::Scalar::header_name);
  auto s = scalar(/*sensitive=*/false);
  if (!s) return std::nullopt;
  if (!is_header_name(s->value)) {
    error("invalid header name " + s->shown);
    return std::nullopt;
  }
  return std::move(s->value);
}

std::optional<uint64_t> Value::integer() const {
  expect(keys::Scalar::integer);
  const uint64_t min = shape_->min;
  const uint64_t max = shape_->max;
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

std::optional<uint64_t> Value::size() const {
  expect(keys::Scalar::size);
  const uint64_t min = shape_->min;
  const uint64_t max = shape_->max;
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

std::optional<Duration> Value::duration() const {
  expect(keys::Scalar::duration);
  const Duration min{static_cast<int64_t>(shape_->min)};
  const Duration max{static_cast<int64_t>(shape_->max)};
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
  expect(keys::Scalar::percent);
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
  if (shape_->scalar == keys::Scalar::boolean) {
    const auto booleans = keys::boolean_names();
    if (!std::equal(names.begin(), names.end(), booleans.begin(), booleans.end())) {
      table_mismatch(path_, "a boolean read with other names than true, false");
    }
  } else {
    expect(keys::Scalar::choice);
    if (!std::equal(names.begin(), names.end(), shape_->choices.begin(), shape_->choices.end())) {
      table_mismatch(path_, "its choices differ from the declared ones");
    }
  }
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
  if (shape_->list == nullptr) table_mismatch(path_, "read as a list, declared without one");
  std::vector<Value> out;
  if (is_null()) return out;
  if (!is_list()) {
    error("expected a list, got " + std::string(kind()));
    return out;
  }
  const Position here = position();
  std::size_t index = 0;
  for (const auto& element : node_) {
    out.emplace_back(*context_, element, path_ + "[" + std::to_string(index) + "]", here, *shape_->list);
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

MapReader::MapReader(const Value& map) : MapReader(map, false) {}

MapReader MapReader::open(const Value& map) { return MapReader(map, true); }

MapReader::MapReader(const Value& map, bool open) : map_(map) {
  const keys::Shape& shape = map.shape();
  if (open ? shape.named == nullptr : shape.map == nullptr) {
    table_mismatch(map.path(), open ? "read as a map of names, declared without one" : "read as a map, declared without one");
  }
  std::vector<std::string_view> known_keys;
  if (!open) {
    for (const auto& field : shape.map->fields) known_keys.push_back(field.name);
  }
  if (!map.is_null() && !map.is_map()) {
    map.error("expected a map, got " + std::string(map.kind()));
    valid_ = false;
    return;
  }
  if (!map.is_null()) read_entries(open, known_keys);
  if (open) return;
  for (const auto& field : shape.map->fields) {
    if (!field.required || get(field.name)) continue;
    map.error(field.missing_message.empty() ? "missing required key '" + std::string(field.name) + "'"
                                            : std::string(field.missing_message));
  }
}

void MapReader::read_entries(bool open, std::span<const std::string_view> known_keys) {
  const Value& map = map_;
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
    const keys::Shape& shape = open ? *map.shape().named : map.shape().map->field(key)->shape;
    entries_.push_back(Entry{key, key_position, Value(context, pair.second, path, key_position, shape)});
  }
}

const keys::Field& MapReader::declared(std::string_view key) const {
  const keys::Map* table = map_.shape().map;
  const keys::Field* field = table == nullptr ? nullptr : table->field(key);
  if (field == nullptr) table_mismatch(join_path(map_.path(), key), "read, but not declared");
  return *field;
}

std::optional<Value> MapReader::get(std::string_view key) const {
  if (map_.shape().map != nullptr) (void)declared(key);
  for (const auto& entry : entries_) {
    if (entry.key == key) return entry.value;
  }
  return std::nullopt;
}

std::optional<Value> MapReader::require(std::string_view key) const {
  if (!declared(key).required) table_mismatch(join_path(map_.path(), key), "required by its parser, optional in the table");
  return get(key);
}

Value MapReader::get_or_null(std::string_view key) const {
  if (auto found = get(key)) return *found;
  return Value(map_.context(), YAML::Node(), join_path(map_.path(), key), map_.position(), declared(key).shape);
}

}  // namespace hookgate::config::detail
