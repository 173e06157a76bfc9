#include "storage/store_location.h"

#include <gtest/gtest.h>

namespace hookgate::storage {
namespace {

TEST(StoreLocation, DisplayNamesWhereTheDatabaseIsNeverWhoOrTheirPassword) {
  StoreLocation sqlite;
  sqlite.path = "/var/lib/hookgate/events.db";
  EXPECT_EQ(sqlite.display(), "/var/lib/hookgate/events.db");

  StoreLocation uri;
  uri.postgres_url = "postgresql://hookgate:s3cr3t@db1:5433/events?sslmode=require&password=other";
  EXPECT_EQ(uri.display(), "postgresql://db1:5433/events");

  StoreLocation key_value;
  key_value.postgres_url = "host=db2 dbname=hooks user=u password=s3cr3t";
  EXPECT_EQ(key_value.display(), "postgresql://db2/hooks");

  StoreLocation broken;
  broken.postgres_url = "postgresql://u:s3cr3t%zz@db/x";
  EXPECT_EQ(broken.display().find("s3cr3t"), std::string::npos);
}

}  // namespace
}  // namespace hookgate::storage
