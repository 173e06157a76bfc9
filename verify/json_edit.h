// Minimal, byte-preserving edits of a JSON body, for sign() of schemes whose signature or
// secret lives inside the body (Mailgun, Adyen notifications, Microsoft Graph clientState):
// every byte outside the edited members stays as it was.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hookgate::verify {

// Sets the member at `path` (keys from a JSON object downwards, e.g. {"additionalData",
// "hmacSignature"}) to the JSON text `value`, in the objects selected by `where`:
//   where = ""          the root object;
//   where = "/items"    every element of the array at that JSON pointer (each an object);
//   inner = {"K"}       …then, inside each, the object under member K (optional).
// An existing member has its value replaced; a missing one (or a missing object on the way)
// is inserted as the object's first member. nullopt when the body is not JSON of that shape.
[[nodiscard]] std::optional<std::string> set_json_member(std::string_view body,
                                                         std::string_view where,
                                                         std::span<const std::string_view> inner,
                                                         std::span<const std::string_view> path,
                                                         std::span<const std::string> values);

}  // namespace hookgate::verify
