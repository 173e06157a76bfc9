// The web console's pages and login (AdminApi's console handlers): the files of
// gateway/admin/console, compiled in, and the session they run in. See console_sessions.h
// for the session's rules and browser_security.h for the headers every answer carries.
#include <sodium.h>
#include <spdlog/spdlog.h>

#include "gateway/admin/admin_answers.h"
#include "gateway/admin/admin_api.h"
#include "gateway/admin/browser_security.h"
#include "gateway/admin/console_assets.h"
#include "gateway/store/event_filter_options.h"
#include "verify/form.h"
#include "verify/json_text.h"

namespace hookgate::gateway::admin {
namespace {

using admin_answers::see_other;

constexpr std::string_view kLoginErrorSlot = "<!--login-error-->";
constexpr size_t kMaxLoginBody = 4096;

std::string_view asset(std::string_view name) {
  for (const auto& file : console_assets()) {
    if (file.name == name) return file.bytes;
  }
  return {};
}

std::string_view content_type_of(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  return "application/octet-stream";
}

connections::Response page(int status, std::string_view name, std::string body) {
  connections::Response response;
  response.status = status;
  response.content_type = std::string(content_type_of(name));
  response.body = std::move(body);
  return response;
}

}  // namespace

connections::Response AdminApi::login_page(int status, std::string_view error) {
  std::string body(asset("login.html"));
  const size_t slot = body.find(kLoginErrorSlot);
  if (slot != std::string::npos) {
    const std::string message =
        error.empty() ? std::string()
                      : "<p class=\"login-error\" data-testid=\"login-error\" role=\"alert\">" + std::string(error) + "</p>";
    body.replace(slot, kLoginErrorSlot.size(), message);
  }
  return page(status, "login.html", std::move(body));
}

connections::Response AdminApi::console_page(const AdminCall& call) {
  // Without a session the console's address answers 401 with the login form, so a bookmark
  // works and nothing of the console shows before the token is given.
  if (!call.session) return login_page(401, "");
  return page(200, "app.html", std::string(asset("app.html")));
}

connections::Response AdminApi::console_asset(const AdminCall& call, std::string_view name) {
  // The stylesheet is the login form's too; the script runs only inside a session.
  if (name != "console.css" && !call.session) return connections::error_response(401, "unauthorized");
  return page(200, name, std::string(asset(name)));
}

connections::Response AdminApi::login(const AdminCall& call) {
  const int64_t now_ms = clock_.now_unix_ms();
  if (!sessions_.login_allowed(now_ms)) {
    spdlog::warn("admin: console login refused from {}: too many wrong tokens in the last minute", call.request.peer);
    connections::Response response = login_page(429, "Too many attempts, wait a minute.");
    response.headers.emplace_back("Retry-After", "60");
    return response;
  }
  std::string token;
  if (call.request.body.size() <= kMaxLoginBody) {
    for (auto& [name, value] : verify::parse_form(call.request.body)) {
      if (name == "token") token = std::move(value);
    }
  }
  const std::string presented = secret_digest(token);
  if (token.empty() || sodium_memcmp(presented.data(), token_digest_.data(), presented.size()) != 0) {
    sessions_.record_failure(now_ms);
    spdlog::warn("admin: console login with a wrong token from {}", call.request.peer);
    return login_page(401, "Wrong token.");
  }
  const auto login = sessions_.open(now_ms);
  spdlog::info("admin: console login from {} (sessions={})", call.request.peer, sessions_.size());
  connections::Response response = see_other("/console");
  response.headers.emplace_back(
      "Set-Cookie", session_set_cookie(login.cookie_value, sessions_.limits().lifetime_ms / 1000, tls_));
  return response;
}

connections::Response AdminApi::logout(const AdminCall& call) {
  if (call.session && sessions_.close(call.session_cookie)) {
    spdlog::info("admin: console logout from {}", call.request.peer);
  }
  connections::Response response = see_other("/console/login");
  response.headers.emplace_back("Set-Cookie", session_clear_cookie(tls_));
  return response;
}

connections::Response AdminApi::session_info(const AdminCall& call) {
  const ConsoleSession* session = call.session;
  if (!session) return connections::error_response(404, "no_session");  // the bearer token has no session
  std::string body = "{\"csrf_token\":";
  verify::append_json_string(body, session->csrf_token);
  body += ",\"expires_at\":\"" + store::format_time_ms(session->expires_at_ms) +
          "\",\"idle_timeout_s\":" + std::to_string(sessions_.limits().idle_ms / 1000) + "}\n";
  connections::Response response;
  response.status = 200;
  response.body = std::move(body);
  return response;
}

}  // namespace hookgate::gateway::admin
