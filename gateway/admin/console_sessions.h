// The web console's logins: sessions held in memory by the admin listener, and the throttle on
// wrong tokens. Sans-I/O: every call takes the time, randomness comes from libsodium.
//
// A session is a 256-bit random id in an HttpOnly, SameSite=Strict cookie; only its BLAKE2b
// digest is kept, so a memory dump or a timing probe of the map holds nothing a browser could
// replay. Each session has its own CSRF token, which the page sends back in X-CSRF-Token on
// every state-changing request. A session ends at its absolute lifetime, after an idle time,
// or at logout; a restart ends them all (operators log in again, nothing else is lost).
//
// Threading: the admin loop's thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace hookgate::gateway::admin {

struct ConsoleSessionLimits {
  int64_t lifetime_ms = 8 * 3'600'000;   // from login, whatever the activity
  int64_t idle_ms = 30 * 60'000;         // since the last request
  size_t max_sessions = 64;              // a new login beyond this ends the oldest session
  size_t max_failures_per_minute = 10;   // wrong tokens, listener-wide, before logins answer 429
};

struct ConsoleSession {
  std::string csrf_token;  // 43 characters, base64url
  int64_t created_at_ms = 0;
  int64_t last_seen_ms = 0;
  int64_t expires_at_ms = 0;  // the absolute end; idle may end it sooner
};

class ConsoleSessions {
 public:
  explicit ConsoleSessions(ConsoleSessionLimits limits = {}) : limits_(limits) {}

  struct Login {
    std::string cookie_value;  // what Set-Cookie carries; never stored
    ConsoleSession session;
  };
  // A new session (after the caller checked the token).
  [[nodiscard]] Login open(int64_t now_ms);
  // The live session of this cookie value, its idle clock restarted; nullptr when there is
  // none or it expired (then it is dropped).
  [[nodiscard]] const ConsoleSession* touch(std::string_view cookie_value, int64_t now_ms);
  // Logout. False when there was no such session.
  bool close(std::string_view cookie_value);

  // The throttle on wrong tokens: false while more than max_failures_per_minute were
  // recorded in the last 60 s (the login is refused without checking the token).
  [[nodiscard]] bool login_allowed(int64_t now_ms);
  void record_failure(int64_t now_ms);

  [[nodiscard]] size_t size() const { return sessions_.size(); }
  [[nodiscard]] const ConsoleSessionLimits& limits() const { return limits_; }

 private:
  void drop_expired(int64_t now_ms);
  [[nodiscard]] bool live(const ConsoleSession& session, int64_t now_ms) const;

  ConsoleSessionLimits limits_;
  std::map<std::string, ConsoleSession> sessions_;  // by digest of the cookie value
  std::deque<int64_t> failures_;                     // times of wrong tokens, oldest first
};

// BLAKE2b-256 of a secret: what is kept and compared instead of the secret itself.
[[nodiscard]] std::string secret_digest(std::string_view text);

// Constant-time equality of two CSRF tokens (or any two secrets of public length).
[[nodiscard]] bool same_secret(std::string_view a, std::string_view b);

}  // namespace hookgate::gateway::admin
