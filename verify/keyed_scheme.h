// What the schemes that check a MAC with the source's secrets share: the keys, the tolerance
// on the time they sign (0 = none), and where the event id and type are read.
#pragma once

#include <chrono>
#include <memory>
#include <utility>

#include "verify/hmac_key.h"
#include "verify/verifier.h"

namespace hookgate::verify {

class KeyedScheme : public Verifier {
 public:
  [[nodiscard]] const FieldRef& event_id_field() const final { return event_id_; }
  [[nodiscard]] const FieldRef& event_type_field() const final { return event_type_; }

 protected:
  KeyedScheme(std::shared_ptr<const KeyRing> keys, std::chrono::seconds tolerance, FieldRef event_id,
              FieldRef event_type)
      : keys_(std::move(keys)),
        tolerance_(tolerance),
        event_id_(std::move(event_id)),
        event_type_(std::move(event_type)) {}

  std::shared_ptr<const KeyRing> keys_;
  std::chrono::seconds tolerance_;
  FieldRef event_id_;
  FieldRef event_type_;
};

}  // namespace hookgate::verify
