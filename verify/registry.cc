#include "verify/registry.h"

#include <algorithm>

#include "verify/header_families.h"
#include "verify/hmac_key.h"
#include "verify/hmac_scheme.h"
#include "verify/none_verifier.h"
#include "verify/presets.h"

namespace hookgate::verify {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::seconds kDefaultTolerance = 300s;  // generic schemes with a timestamp

BuildResult failure(std::string message) { return BuildResult{nullptr, std::move(message)}; }

std::string joined_preset_names() {
  std::string out;
  for (const std::string& name : preset_names()) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// An override of the event id / type location must be usable by extract_field.
bool check_field(const std::optional<FieldRef>& field, std::string_view what, std::string& error) {
  if (!field) return true;
  switch (field->kind) {
    case FieldRef::Kind::none:
      return true;
    case FieldRef::Kind::header:
      if (field->name.empty()) {
        error = std::string(what) + ": header name is empty";
        return false;
      }
      return true;
    case FieldRef::Kind::json:
      if (!field->name.empty() && field->name.front() != '/') {
        error = std::string(what) + ": a JSON pointer starts with '/' (RFC 6901), got '" +
                field->name + "'";
        return false;
      }
      return true;
  }
  return true;
}

// What both presets and generic `hmac:` blocks reduce to.
struct Plan {
  std::vector<HmacSpec> families;
  std::size_t sign_family = 0;
  std::chrono::seconds tolerance{0};
  FieldRef event_id;
  FieldRef event_type;
  std::string sample_event_type;
};

BuildResult build_hmac(const Plan& plan, const std::vector<std::string>& secrets) {
  if (secrets.empty()) {
    return failure("no secrets: this scheme signs with a shared secret, give at least one");
  }
  if (plan.tolerance.count() < 0) return failure("tolerance must not be negative");

  // Families that decode secrets the same way for the same algorithm share one KeyRing.
  std::vector<std::shared_ptr<const KeyRing>> rings;
  std::vector<std::unique_ptr<HmacScheme>> schemes;
  for (const HmacSpec& spec : plan.families) {
    std::shared_ptr<const KeyRing> keys;
    for (const auto& ring : rings) {
      if (ring->algorithm() == spec.algorithm && ring->encoding() == spec.secret_encoding) {
        keys = ring;
      }
    }
    if (!keys) {
      std::string error;
      keys = KeyRing::create(spec.algorithm, spec.secret_encoding, secrets, error);
      if (!keys) return failure(std::move(error));
      rings.push_back(keys);
    }
    const bool has_timestamp = spec.timestamp.kind != TimestampSource::Kind::none;
    HmacSchemeOptions options{
        .spec = spec,
        .keys = std::move(keys),
        .tolerance = has_timestamp ? plan.tolerance : 0s,
        .event_id = plan.event_id,
        .event_type = plan.event_type,
        .sample_event_type = plan.sample_event_type,
    };
    std::string error;
    std::unique_ptr<HmacScheme> scheme = HmacScheme::create(std::move(options), error);
    if (!scheme) return failure(std::move(error));
    schemes.push_back(std::move(scheme));
  }
  if (schemes.size() == 1) return BuildResult{std::move(schemes.front()), {}};
  return BuildResult{std::make_shared<HeaderFamilies>(std::move(schemes), plan.sign_family,
                                                      plan.event_id, plan.event_type),
                     {}};
}

}  // namespace

BuildResult build_verifier(const VerifySpec& spec) {
  const bool has_provider = !spec.provider.empty();
  if (has_provider && spec.hmac) return failure("give either provider or hmac, not both");
  if (!has_provider && !spec.hmac) {
    return failure("give a provider (one of: " + joined_preset_names() + ") or an hmac block");
  }
  std::string error;
  if (!check_field(spec.event_id, "event_id", error) ||
      !check_field(spec.event_type, "event_type", error)) {
    return failure(std::move(error));
  }

  Plan plan;
  if (spec.hmac) {
    plan.families = {*spec.hmac};
    const bool has_timestamp = spec.hmac->timestamp.kind != TimestampSource::Kind::none;
    plan.tolerance = spec.tolerance.value_or(has_timestamp ? kDefaultTolerance : 0s);
    plan.sample_event_type = "test";
  } else {
    const Preset* preset = find_preset(spec.provider);
    if (!preset) {
      return failure("unknown provider '" + spec.provider + "' (valid: " + joined_preset_names() +
                     ")");
    }
    plan.families = preset->families;
    plan.sign_family = preset->sign_family;
    plan.tolerance = spec.tolerance.value_or(preset->default_tolerance);
    plan.event_id = preset->event_id;
    plan.event_type = preset->event_type;
    plan.sample_event_type = preset->sample_event_type;
  }
  if (spec.event_id) plan.event_id = *spec.event_id;
  if (spec.event_type) plan.event_type = *spec.event_type;

  if (plan.families.empty()) {  // provider: none
    return BuildResult{std::make_shared<NoneVerifier>(plan.event_id, plan.event_type), {}};
  }
  return build_hmac(plan, spec.secrets);
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const Preset& preset : presets()) names.push_back(preset.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace hookgate::verify
