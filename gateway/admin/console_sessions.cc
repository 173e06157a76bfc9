#include "gateway/admin/console_sessions.h"

#include <sodium.h>

#include <algorithm>

namespace hookgate::gateway::admin {
namespace {

constexpr size_t kRandomBytes = 32;
constexpr int64_t kFailureWindowMs = 60'000;

std::string random_token() {
  unsigned char bytes[kRandomBytes];
  randombytes_buf(bytes, sizeof bytes);
  std::string out(sodium_base64_encoded_len(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

}  // namespace

std::string secret_digest(std::string_view text) {
  std::string out(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0);
  return out;
}

bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool ConsoleSessions::live(const ConsoleSession& session, int64_t now_ms) const {
  return now_ms < session.expires_at_ms && now_ms - session.last_seen_ms < limits_.idle_ms;
}

void ConsoleSessions::drop_expired(int64_t now_ms) {
  std::erase_if(sessions_, [&](const auto& entry) { return !live(entry.second, now_ms); });
}

ConsoleSessions::Login ConsoleSessions::open(int64_t now_ms) {
  drop_expired(now_ms);
  while (!sessions_.empty() && sessions_.size() >= limits_.max_sessions) {
    const auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
      return a.second.created_at_ms < b.second.created_at_ms;
    });
    sessions_.erase(oldest);
  }
  Login login;
  login.cookie_value = random_token();
  login.session = ConsoleSession{.csrf_token = random_token(),
                                 .created_at_ms = now_ms,
                                 .last_seen_ms = now_ms,
                                 .expires_at_ms = now_ms + limits_.lifetime_ms};
  sessions_[secret_digest(login.cookie_value)] = login.session;
  return login;
}

const ConsoleSession* ConsoleSessions::touch(std::string_view cookie_value, int64_t now_ms) {
  if (cookie_value.empty() || cookie_value.size() > 128) return nullptr;
  const auto found = sessions_.find(secret_digest(cookie_value));
  if (found == sessions_.end()) return nullptr;
  if (!live(found->second, now_ms)) {
    sessions_.erase(found);
    return nullptr;
  }
  found->second.last_seen_ms = now_ms;
  return &found->second;
}

bool ConsoleSessions::close(std::string_view cookie_value) { return sessions_.erase(secret_digest(cookie_value)) > 0; }

bool ConsoleSessions::login_allowed(int64_t now_ms) {
  while (!failures_.empty() && now_ms - failures_.front() >= kFailureWindowMs) failures_.pop_front();
  return failures_.size() < limits_.max_failures_per_minute;
}

void ConsoleSessions::record_failure(int64_t now_ms) {
  failures_.push_back(now_ms);
  while (failures_.size() > limits_.max_failures_per_minute) failures_.pop_front();
}

}  // namespace hookgate::gateway::admin
