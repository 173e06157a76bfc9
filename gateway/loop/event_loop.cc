#include "gateway/loop/event_loop.h"

#include <stdexcept>

namespace hookgate::gateway::loop {

EventLoop::EventLoop() : base_(event_base_new()) {
  if (!base_) throw std::runtime_error("event_base_new failed");
  mailbox_event_.reset(event_new(base_.get(), -1, 0, &EventLoop::on_mailbox, this));
  graveyard_event_.reset(event_new(base_.get(), -1, 0, &EventLoop::on_graveyard, this));
}

EventLoop::~EventLoop() = default;

void EventLoop::run() {
  event_base_loop(base_.get(), EVLOOP_NO_EXIT_ON_EMPTY);
  on_mailbox(-1, 0, this);  // run what was posted before stop()
  graveyard_.clear();
}

void EventLoop::stop() { event_base_loopexit(base_.get(), nullptr); }

void EventLoop::post(std::function<void()> task) {
  bool was_empty;
  {
    std::lock_guard lock(mailbox_mutex_);
    was_empty = mailbox_.empty();
    mailbox_.push_back(std::move(task));
  }
  // One wake-up per burst: the loop drains the whole mailbox when it runs.
  if (was_empty) event_active(mailbox_event_.get(), 0, 0);
}

void EventLoop::defer_delete(std::shared_ptr<void> object) {
  if (graveyard_.empty()) event_active(graveyard_event_.get(), 0, 0);
  graveyard_.push_back(std::move(object));
}

void EventLoop::on_mailbox(evutil_socket_t, short, void* self) {
  auto* loop = static_cast<EventLoop*>(self);
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard lock(loop->mailbox_mutex_);
    tasks.swap(loop->mailbox_);
  }
  for (auto& task : tasks) task();
}

void EventLoop::on_graveyard(evutil_socket_t, short, void* self) {
  auto* loop = static_cast<EventLoop*>(self);
  std::vector<std::shared_ptr<void>> dead;
  dead.swap(loop->graveyard_);  // destructors may defer_delete again: they land in a fresh list
}

}  // namespace hookgate::gateway::loop
