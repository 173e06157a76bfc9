// One libevent event_base driven by one thread, with a thread-safe mailbox so other threads
// (the storage writer, the control thread) can hand it work.
//
// Threading: run() is called by the loop's own thread. post() may be called from any thread.
// Everything else (base(), defer_delete(), connection bookkeeping) only from the loop thread.
#pragma once

#include <event2/event.h>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "gateway/loop/libevent_handles.h"

namespace hookgate::gateway::loop {

class EventLoop {
 public:
  EventLoop();  // requires evthread_use_pthreads() to have been called once in the process
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  [[nodiscard]] event_base* base() const { return base_.get(); }

  // Runs until stop(). Loop thread.
  void run();
  // Makes run() return once the current callbacks finish. Any thread.
  void stop();

  // Queues `task` to run on the loop thread. Any thread. Tasks posted before stop() run.
  void post(std::function<void()> task);

  // Keeps `object` alive until the current callback has returned: an object must never be
  // destroyed while one of its own callbacks is on the stack. Loop thread.
  void defer_delete(std::shared_ptr<void> object);

 private:
  static void on_mailbox(evutil_socket_t, short, void* self);
  static void on_graveyard(evutil_socket_t, short, void* self);

  EventBasePtr base_;
  EventPtr mailbox_event_;
  EventPtr graveyard_event_;
  std::mutex mailbox_mutex_;
  std::vector<std::function<void()>> mailbox_;
  std::vector<std::shared_ptr<void>> graveyard_;
};

}  // namespace hookgate::gateway::loop
