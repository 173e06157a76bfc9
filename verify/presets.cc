#include "verify/presets.h"

#include <algorithm>

// Sources for every row: /work/shared/vendors.md (§3.1 Stripe, §3.2 GitHub, §3.11 Svix /
// Standard Webhooks) and the vendors' SDKs named there.

namespace hookgate::verify {
namespace {

using namespace std::chrono_literals;
using Kind = FieldRef::Kind;

constexpr std::chrono::seconds kFiveMinutes =
    300s;  // Stripe's SDK default; Standard Webhooks' window

// Standard Webhooks v1: base64 HMAC-SHA256 of "id.timestamp.body", key = base64 after
// "whsec_", space-separated "v1,<sig>" list for rotation. Svix sends the same under svix-*.
HmacSpec standard_webhooks_family(const std::string& prefix) {
  return HmacSpec{
      .header = prefix + "-signature",
      .algorithm = Algorithm::sha256,
      .encoding = Encoding::base64,
      .prefix = "v1,",
      .separator = " ",
      .signed_template = "{id}.{timestamp}.{body}",
      .timestamp = {TimestampSource::Kind::header, prefix + "-timestamp",
                    TimestampFormat::unix_seconds},
      .id_header = prefix + "-id",
      .secret_encoding = SecretEncoding::whsec,
  };
}

std::vector<Preset> make_presets() {
  const HmacSpec stripe{
      .header = "Stripe-Signature",
      .algorithm = Algorithm::sha256,
      .encoding = Encoding::hex,
      .prefix = "v1=",  // v0= entries (test mode) and other schemes are ignored
      .separator = ",",
      .signed_template = "{timestamp}.{body}",
      .timestamp = {TimestampSource::Kind::signature_key, "t", TimestampFormat::unix_seconds},
      .id_header = "",
      .secret_encoding = SecretEncoding::raw,  // the whsec_ string as-is, unlike Svix
  };
  const HmacSpec github{
      .header = "X-Hub-Signature-256",
      .algorithm = Algorithm::sha256,
      .encoding = Encoding::hex,
      .prefix = "sha256=",
      .separator = "",
      .signed_template = "{body}",
      .timestamp = {},
      .id_header = "",
      .secret_encoding = SecretEncoding::raw,
  };
  // GitHub still sends the SHA-1 header "for compatibility"; used only when the SHA-256
  // one is absent (older GitHub Enterprise Server releases).
  HmacSpec github_legacy = github;
  github_legacy.header = "X-Hub-Signature";
  github_legacy.algorithm = Algorithm::sha1;
  github_legacy.prefix = "sha1=";

  const std::vector<HmacSpec> standard_webhooks{standard_webhooks_family("webhook"),
                                                standard_webhooks_family("svix")};
  const FieldRef webhook_id{Kind::header, "webhook-id", "svix-id"};
  const FieldRef json_id{Kind::json, "/id"};
  const FieldRef json_type{Kind::json, "/type"};

  return {
      Preset{.name = "github",
             .families = {github, github_legacy},
             .sign_family = 0,
             .default_tolerance = 0s,
             .event_id = {Kind::header, "X-GitHub-Delivery"},
             .event_type = {Kind::header, "X-GitHub-Event"},
             .sample_event_type = "ping"},
      Preset{.name = "none"},
      Preset{.name = "standard-webhooks",
             .families = standard_webhooks,
             .sign_family = 0,
             .default_tolerance = kFiveMinutes,
             .event_id = webhook_id,
             .event_type = json_type},
      // Alias: verifies the same (webhook-* preferred), signs with Svix's header names.
      Preset{.name = "svix",
             .families = standard_webhooks,
             .sign_family = 1,
             .default_tolerance = kFiveMinutes,
             .event_id = webhook_id,
             .event_type = json_type},
      Preset{.name = "stripe",
             .families = {stripe},
             .sign_family = 0,
             .default_tolerance = kFiveMinutes,
             .event_id = json_id,
             .event_type = json_type},
  };
}

}  // namespace

const std::vector<Preset>& presets() {
  static const std::vector<Preset> table = make_presets();
  return table;
}

const Preset* find_preset(std::string_view name) {
  const std::vector<Preset>& table = presets();
  const auto it =
      std::find_if(table.begin(), table.end(), [&](const Preset& p) { return p.name == name; });
  return it == table.end() ? nullptr : &*it;
}

}  // namespace hookgate::verify
