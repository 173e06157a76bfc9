#include "storage/write_batch.h"

namespace hookgate::storage {

std::string_view to_string(DeliveryState state) {
  switch (state) {
    case DeliveryState::pending: return "pending";
    case DeliveryState::inflight: return "inflight";
    case DeliveryState::delivered: return "delivered";
    case DeliveryState::dead: return "dead";
    case DeliveryState::cancelled: return "cancelled";
    case DeliveryState::skipped: return "skipped";
  }
  return "pending";
}

}  // namespace hookgate::storage
