#include "storage/held_leases.h"

#include <algorithm>

namespace hookgate::storage {

void HeldLeases::settle(std::vector<Pending>& batch, Clock::time_point now) {
  if (hold_.count() == 0) return;  // written as submitted: nothing is ever held
  const bool any_lease = std::any_of(batch.begin(), batch.end(),
                                     [](const Pending& p) { return std::holds_alternative<PendingLeases>(p); });
  if (!any_lease && by_delivery_.empty()) return;  // an ingest-only batch, nothing held

  for (auto& pending : batch) {
    if (const auto* attempt = std::get_if<PendingAttempt>(&pending)) {
      if (by_delivery_.count(attempt->attempt.delivery_id) > 0) {
        release(attempt->attempt.delivery_id);
        ++folded_;
      }
    } else if (auto* leases = std::get_if<PendingLeases>(&pending)) {
      groups_.push_back(Group{next_seq_++, std::move(*leases), now + hold_});
      Group& group = groups_.back();
      for (int64_t id : group.leases.delivery_ids) {
        if (by_delivery_.count(id) > 0) release(id);  // leased again: the newer lease stands
        by_delivery_[id] = group.seq;
        ++group.live;
      }
    }
  }
  std::erase_if(batch, [](const Pending& p) { return std::holds_alternative<PendingLeases>(p); });

  // Groups whose every delivery was recorded are done; those due are written.
  while (!groups_.empty() && (groups_.front().live == 0 || groups_.front().due <= now)) {
    Group group = std::move(groups_.front());
    groups_.pop_front();
    // Only the deliveries still held by this group: not recorded since, not leased again.
    std::erase_if(group.leases.delivery_ids, [&](int64_t id) {
      const auto it = by_delivery_.find(id);
      if (it == by_delivery_.end() || it->second != group.seq) return true;
      by_delivery_.erase(it);
      return false;
    });
    if (!group.leases.delivery_ids.empty()) batch.push_back(std::move(group.leases));
  }
}

void HeldLeases::release(int64_t delivery_id) {
  const auto it = by_delivery_.find(delivery_id);
  --group_of(it->second).live;
  by_delivery_.erase(it);
}

std::optional<HeldLeases::Clock::time_point> HeldLeases::next_due() const {
  if (groups_.empty()) return std::nullopt;
  return groups_.front().due;
}

}  // namespace hookgate::storage
