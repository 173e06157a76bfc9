#include "gateway/ingest/public_id.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

namespace hookgate::gateway::ingest {
namespace {

TEST(PublicId, IsEvtPrefixedCrockfordUlid) {
  const std::string id = make_public_id(1700000000123);
  EXPECT_TRUE(std::regex_match(id, std::regex("evt_[0-9A-HJKMNP-TV-Z]{26}"))) << id;
  // The first 10 characters encode the millisecond timestamp (48 bits).
  EXPECT_EQ(id.substr(4, 10), "01HF7YAT3V");
}

TEST(PublicId, SortsByTimeAndNeverRepeats) {
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = make_public_id(1700000000000 + i / 100);
    EXPECT_TRUE(seen.insert(id).second) << "repeated " << id;
    if (i % 100 == 0) {
      EXPECT_LT(previous, id);  // a later millisecond sorts after
    }
    previous = id;
  }
}

TEST(PublicId, ThreadsDoNotCollide) {
  std::vector<std::vector<std::string>> ids(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&ids, t] {
      for (int i = 0; i < 5000; ++i) ids[static_cast<size_t>(t)].push_back(make_public_id(1700000000000));
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& list : ids) all.insert(list.begin(), list.end());
  EXPECT_EQ(all.size(), 20000u);
}

}  // namespace
}  // namespace hookgate::gateway::ingest
