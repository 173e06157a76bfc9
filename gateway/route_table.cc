#include "gateway/route_table.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>

#include "verify/json_body.h"

namespace hookgate::gateway {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with single-star backtracking: linear in practice, no recursion.
  size_t p = 0, t = 0, star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

// What a body condition sees at its pointer. exists without a scalar: an object or array.
struct Lookup {
  bool exists = false;
  std::optional<std::string> scalar;
};

Lookup lookup(verify::JsonBody& body, const std::string& pointer) {
  Lookup result;
  simdjson::ondemand::document* doc = body.document();
  if (!doc) return result;  // not JSON: nothing exists
  const auto failed = [&body](simdjson::error_code error) {
    body.note(error);
    return error != simdjson::SUCCESS;
  };
  simdjson::ondemand::value value;
  if (failed(doc->at_pointer(pointer).get(value))) return result;
  result.exists = true;
  simdjson::ondemand::json_type type;
  if (failed(value.type().get(type))) return result;
  switch (type) {
    case simdjson::ondemand::json_type::string: {
      std::string_view text;
      if (!failed(value.get_string().get(text))) result.scalar = std::string(text);
      break;
    }
    case simdjson::ondemand::json_type::number:
    case simdjson::ondemand::json_type::boolean:
    case simdjson::ondemand::json_type::null: {
      std::string_view raw = value.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
        raw.remove_suffix(1);
      }
      result.scalar = std::string(raw);
      break;
    }
    default:
      break;
  }
  return result;
}

bool holds(const config::BodyCondition& condition, verify::JsonBody& body) {
  const Lookup found = lookup(body, condition.pointer);
  switch (condition.kind) {
    case config::BodyCondition::Kind::exists: return found.exists;
    case config::BodyCondition::Kind::absent: return !found.exists;
    case config::BodyCondition::Kind::equals:
      return found.scalar && std::find(condition.values.begin(), condition.values.end(), *found.scalar) !=
                                 condition.values.end();
  }
  return false;
}

}  // namespace

RouteTable::RouteTable(const config::Config& config) {
  for (const auto& route : config.routes) {
    by_source_[route.from].push_back(Route{route.event_types, route.body, route.to});
  }
}

std::vector<std::string> RouteTable::destinations_for(std::string_view source, std::string_view event_type,
                                                      std::string_view body, bool body_padded) const {
  verify::JsonBody json(body, body_padded);
  return destinations_for(source, event_type, json);
}

std::vector<std::string> RouteTable::destinations_for(std::string_view source, std::string_view event_type,
                                                      verify::JsonBody& body) const {
  std::vector<std::string> out;
  const auto it = by_source_.find(source);
  if (it == by_source_.end()) return out;
  for (const Route& route : it->second) {
    const bool type_matches = route.event_types.empty() ||
        std::any_of(route.event_types.begin(), route.event_types.end(),
                    [&](const std::string& glob) { return glob_match(glob, event_type); });
    if (!type_matches) continue;
    // The body is parsed on the first body condition, once for the whole request.
    if (!std::all_of(route.body.begin(), route.body.end(),
                     [&](const config::BodyCondition& c) { return holds(c, body); })) {
      continue;
    }
    for (const std::string& name : route.to) {
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
  }
  return out;
}

}  // namespace hookgate::gateway
