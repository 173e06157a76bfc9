#include "gateway/admin/admin_routes.h"

#include <algorithm>
#include <cctype>

#include "verify/form.h"
#include "verify/json_text.h"

namespace hookgate::gateway::admin {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t end = path.find('/');
    segments.push_back(path.substr(0, end));
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
  }
  return segments;
}

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// The decoded {…} values when `segments` fit `route_path`; false otherwise.
bool fits(std::string_view route_path, const std::vector<std::string_view>& segments, std::vector<std::string>& values) {
  const std::vector<std::string_view> pattern = split_path(route_path);
  if (pattern.size() != segments.size()) return false;
  values.clear();
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (is_parameter(pattern[i])) {
      values.push_back(verify::percent_decode(segments[i], false));
    } else if (pattern[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

// Writes JSON as JSON.stringify(value, null, 2) does: one member or element per line, two
// spaces per level, "[]" and "{}" for empty containers. So the committed document is also the
// canonical form any JSON tool rewrites it to.
class PrettyJson {
 public:
  void begin_object() { open('{'); }
  void begin_array() { open('['); }
  void end() {
    const Level level = levels_.back();
    levels_.pop_back();
    if (!level.empty) newline();
    out_.push_back(level.bracket == '{' ? '}' : ']');
  }
  void key(std::string_view name) {
    element_start();
    verify::append_json_string(out_, name);
    out_ += ": ";
    after_key_ = true;
  }
  void string(std::string_view text) {
    before_value();
    verify::append_json_string(out_, text);
  }
  void number(int64_t value) {
    before_value();
    out_ += std::to_string(value);
  }
  void boolean(bool value) {
    before_value();
    out_ += value ? "true" : "false";
  }
  void member(std::string_view name, std::string_view text) {
    key(name);
    string(text);
  }
  [[nodiscard]] std::string finish() && {
    out_.push_back('\n');
    return std::move(out_);
  }

 private:
  struct Level {
    char bracket;
    bool empty;
  };
  void open(char bracket) {
    before_value();
    out_.push_back(bracket);
    levels_.push_back({bracket, true});
  }
  void before_value() {
    if (after_key_) {
      after_key_ = false;
    } else if (!levels_.empty()) {
      element_start();
    }
  }
  void element_start() {
    Level& level = levels_.back();
    if (!level.empty) out_.push_back(',');
    level.empty = false;
    newline();
  }
  void newline() {
    out_.push_back('\n');
    out_.append(2 * levels_.size(), ' ');
  }

  std::string out_;
  std::vector<Level> levels_;
  bool after_key_ = false;
};

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void write_value(PrettyJson& json, const AdminParameter& parameter, std::string_view text) {
  if (parameter.type == "integer") {
    json.number(std::stoll(std::string(text)));
  } else {
    json.string(text);
  }
}

void write_scalar_schema(PrettyJson& json, const AdminParameter& parameter) {
  json.begin_object();
  json.member("type", parameter.type);
  if (!parameter.choices.empty()) {
    json.key("enum");
    json.begin_array();
    std::string_view rest = parameter.choices;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      json.string(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    json.end();
  }
  if (parameter.minimum) {
    json.key("minimum");
    json.number(parameter.minimum);
  }
  if (parameter.maximum) {
    json.key("maximum");
    json.number(parameter.maximum);
  }
  if (!parameter.default_value.empty()) {
    json.key("default");
    write_value(json, parameter, parameter.default_value);
  }
  json.end();
}

void write_parameter(PrettyJson& json, const AdminParameter& parameter) {
  const bool path = parameter.in == AdminParameter::In::path;
  json.begin_object();
  json.member("name", parameter.name);
  json.member("in", path ? "path" : "query");
  if (path) {
    json.key("required");
    json.boolean(true);
  }
  json.member("description", parameter.description);
  json.key("schema");
  if (parameter.repeatable) {
    json.begin_object();
    json.member("type", "array");
    json.key("items");
    write_scalar_schema(json, parameter);
    json.end();
  } else {
    write_scalar_schema(json, parameter);
  }
  if (!parameter.example.empty()) {
    json.key("example");
    if (parameter.repeatable) {
      json.begin_array();
      write_value(json, parameter, parameter.example);
      json.end();
    } else {
      write_value(json, parameter, parameter.example);
    }
  }
  json.end();
}

void write_response(PrettyJson& json, const AdminRoute& route, const AdminResponseDoc& response) {
  using Body = AdminResponseDoc::Body;
  json.key(std::to_string(response.status));
  json.begin_object();
  json.member("description", response.description);
  json.key("content");
  json.begin_object();
  json.key(response.body == Body::text ? route.content_type : std::string_view("application/json"));
  json.begin_object();
  json.key("schema");
  json.begin_object();
  if (response.body == Body::error) {
    json.member("$ref", "#/components/schemas/Error");
  } else {
    json.member("type", response.body == Body::text ? "string" : "object");
  }
  json.end();
  json.end();
  json.end();
  json.end();
}

void write_operation(PrettyJson& json, const AdminRoute& route) {
  json.key(lowercase(route.method));
  json.begin_object();
  json.member("operationId", route.operation_id);
  json.member("summary", route.summary);
  json.key("security");
  json.begin_array();
  if (route.needs_token) {
    json.begin_object();
    json.key("bearer");
    json.begin_array();
    json.end();
    json.end();
  }
  json.end();
  if (!route.parameters.empty()) {
    json.key("parameters");
    json.begin_array();
    for (const AdminParameter& parameter : route.parameters) write_parameter(json, parameter);
    json.end();
  }
  json.key("responses");
  json.begin_object();
  // Numeric order (as JSON.stringify orders integer keys), with the 401 that comes before
  // routing in its place.
  static constexpr AdminResponseDoc kUnauthorized{
      401, "No `Authorization: Bearer <admin.token>`, or another token (with `WWW-Authenticate: Bearer`)",
      AdminResponseDoc::Body::error};
  std::vector<AdminResponseDoc> responses(route.responses.begin(), route.responses.end());
  if (route.needs_token) responses.push_back(kUnauthorized);
  std::stable_sort(responses.begin(), responses.end(),
                   [](const AdminResponseDoc& a, const AdminResponseDoc& b) { return a.status < b.status; });
  for (const AdminResponseDoc& response : responses) write_response(json, route, response);
  json.end();
  json.end();
}

}  // namespace

AdminRouteMatch match_admin_route(std::span<const AdminRoute> routes, std::string_view method, std::string_view path) {
  const std::vector<std::string_view> segments = split_path(path);
  AdminRouteMatch match;
  match.needs_token = !segments.empty() && segments[0] == kAdminTokenPrefix;
  std::vector<std::string> values;
  std::vector<std::string_view> methods;
  // A literal path shadows a template that also fits (/api/deliveries/retry over
  // /api/deliveries/{id}), as OpenAPI matches concrete paths first.
  size_t most_literals = 0;
  for (const AdminRoute& route : routes) {
    if (fits(route.path, segments, values)) most_literals = std::max(most_literals, segments.size() - values.size());
  }
  for (const AdminRoute& route : routes) {
    if (!fits(route.path, segments, values) || segments.size() - values.size() != most_literals) continue;
    match.path_known = true;
    match.needs_token = match.needs_token || route.needs_token;
    if (std::find(methods.begin(), methods.end(), route.method) == methods.end()) {
      methods.push_back(route.method);
      if (!match.allow.empty()) match.allow += ", ";
      match.allow += route.method;
    }
    if (!match.route && route.method == method) {
      match.route = &route;
      match.path_values = std::move(values);
    }
  }
  return match;
}

std::string admin_openapi_document(std::span<const AdminRoute> routes, std::string_view version) {
  PrettyJson json;
  json.begin_object();
  json.member("openapi", "3.1.0");
  json.key("info");
  json.begin_object();
  json.member("title", "hookgate admin API");
  json.member("version", version);
  json.member("description",
              "The admin listener (admin.listen): health, readiness, Prometheus metrics and the operator's API. "
              "Every path under /api answers 401 without the token, whether it exists or not; a path that "
              "exists answers 405 with an Allow header to another method; any other path answers 404.");
  json.end();
  json.key("paths");
  json.begin_object();
  // Grouped by path, in the order each path first appears in the table.
  std::vector<std::string_view> written;
  for (const AdminRoute& route : routes) {
    if (std::find(written.begin(), written.end(), route.path) != written.end()) continue;
    written.push_back(route.path);
    json.key(route.path);
    json.begin_object();
    for (const AdminRoute& same : routes) {
      if (same.path == route.path) write_operation(json, same);
    }
    json.end();
  }
  json.end();
  json.key("components");
  json.begin_object();
  json.key("securitySchemes");
  json.begin_object();
  json.key("bearer");
  json.begin_object();
  json.member("type", "http");
  json.member("scheme", "bearer");
  json.member("description", "The config's admin.token, compared in constant time");
  json.end();
  json.end();
  json.key("schemas");
  json.begin_object();
  json.key("Error");
  json.begin_object();
  json.member("type", "object");
  json.key("required");
  json.begin_array();
  json.string("error");
  json.end();
  json.key("properties");
  json.begin_object();
  json.key("error");
  json.begin_object();
  json.member("type", "string");
  json.member("description", "snake_case reason: not_found, unauthorized, bad_filter, unknown_event, in_flight, …");
  json.end();
  json.key("detail");
  json.begin_object();
  json.member("type", "string");
  json.member("description", "For people; may quote the input");
  json.end();
  json.end();
  json.end();
  json.end();
  json.end();
  json.end();
  return std::move(json).finish();
}

}  // namespace hookgate::gateway::admin
