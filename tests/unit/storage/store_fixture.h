// The storage tests' fixture: a fresh directory per test for the database (removed after it),
// StoreOptions pointing into it, and the things every such test does with them.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <future>
#include <latch>
#include <memory>
#include <string>

#include "storage/event_store.h"
#include "storage/sqlite/sqlite_handle.h"

namespace hookgate::storage {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() / ("hookgate-" + std::string(test->test_suite_name()) + "-" +
                                                     std::to_string(::getpid()) + "-" + test->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.path = (dir_ / "events.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<EventStore> open_store() {
    std::string error;
    auto store = EventStore::open(options_, error);
    EXPECT_NE(store, nullptr) << error;
    return store;
  }

  // Submits `e` and waits for its outcome.
  static WriteOutcome write(EventStore& store, NewEvent e) {
    std::promise<WriteOutcome> promise;
    auto future = promise.get_future();
    EXPECT_TRUE(store.submit(std::move(e), [&promise](const WriteOutcome& o) { promise.set_value(o); }));
    return future.get();
  }

  // Submits `held`, whose completion blocks the writer until `release` opens, and returns once
  // the writer is inside it: everything submitted afterwards queues up behind it (one batch).
  static void hold_writer(EventStore& store, std::latch& release, NewEvent held) {
    std::latch busy(1);
    ASSERT_TRUE(store.submit(std::move(held), [&busy, &release](const WriteOutcome&) {
      busy.count_down();
      release.wait();
    }));
    busy.wait();
  }

  // The first column of the first row of `sql`, read on a connection of its own.
  int64_t scalar(const std::string& sql) {
    std::string error;
    auto db = open_database(options_.path, SQLITE_OPEN_READONLY, error);
    Statement stmt(db.get(), sql);
    EXPECT_TRUE(stmt.ok()) << sqlite3_errmsg(db.get());
    EXPECT_EQ(stmt.step(), SQLITE_ROW);
    return stmt.column_int(0);
  }

  std::filesystem::path dir_;
  StoreOptions options_;
};

}  // namespace hookgate::storage
