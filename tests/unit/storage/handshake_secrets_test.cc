// The handshake_secrets table (schema version 2): a secret a vendor hands over in a handshake
// (Asana's X-Hook-Secret) is written through the writer, read back at open, replaced per
// source, and a version-1 database gains the table on open.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>

#include "storage/event_store.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/sqlite_handle.h"
#include "store_fixture.h"

namespace hookgate::storage {
namespace {

class HandshakeSecretsTest : public StoreFixture {
 protected:
  static bool save(EventStore& store, const std::string& source, const std::string& secret, int64_t at) {
    std::promise<bool> committed;
    EXPECT_TRUE(store.submit_handshake_secret(source, secret, at, [&](bool ok) { committed.set_value(ok); }));
    return committed.get_future().get();
  }
};

TEST_F(HandshakeSecretsTest, WrittenDurablyAndReadBackAtOpen) {
  {
    auto store = open_store();
    EXPECT_EQ(store->handshake_secret("asana"), std::nullopt);
    EXPECT_TRUE(save(*store, "asana", "first-secret", 1700000000000));
    EXPECT_TRUE(save(*store, "asana-2", "other-secret", 1700000000001));
    // Secrets submitted after open are the caller's to remember: the snapshot is as of open().
    EXPECT_EQ(store->handshake_secret("asana"), std::nullopt);
  }
  {
    auto store = open_store();
    EXPECT_EQ(store->handshake_secret("asana"), "first-secret");
    EXPECT_EQ(store->handshake_secret("asana-2"), "other-secret");
    EXPECT_TRUE(save(*store, "asana", "second-secret", 1700000000002));
  }
  auto store = open_store();
  EXPECT_EQ(store->handshake_secret("asana"), "second-secret");
  store.reset();
  std::string error;
  auto db = open_database(options_.path, SQLITE_OPEN_READONLY, error);
  Statement row(db.get(), "SELECT count(*), max(created_at) FROM handshake_secrets WHERE source = 'asana'");
  ASSERT_EQ(row.step(), SQLITE_ROW);
  EXPECT_EQ(row.column_int(0), 1);
  EXPECT_EQ(row.column_int(1), 1700000000002);
}

TEST_F(HandshakeSecretsTest, AVersionOneDatabaseGainsTheTable) {
  open_store().reset();
  {
    std::string error;
    auto db = open_database(options_.path, SQLITE_OPEN_READWRITE, error);
    ASSERT_EQ(exec(db.get(), "DROP TABLE handshake_secrets; DROP TABLE destination_states; DROP TABLE content_keys;"
                   "PRAGMA user_version = 1;"), SQLITE_OK);
  }
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(save(*store, "asana", "s", 1));
  store.reset();
  std::string error;
  auto db = open_database(options_.path, SQLITE_OPEN_READONLY, error);
  Statement version(db.get(), "PRAGMA user_version");
  ASSERT_EQ(version.step(), SQLITE_ROW);
  EXPECT_EQ(version.column_int(0), kSchemaVersion);
}

TEST_F(HandshakeSecretsTest, RefusedOnceTheStoreIsClosed) {
  auto store = open_store();
  store->close();
  EXPECT_FALSE(store->submit_handshake_secret("asana", "s", 1, [](bool) { ADD_FAILURE() << "must not be called"; }));
}

}  // namespace
}  // namespace hookgate::storage
