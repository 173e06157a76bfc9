// Field names, and the one list of fields hookgate writes itself on the way out (forwarded
// requests drop them, transform scripts cannot set them).
#include "verify/http_fields.h"

#include <gtest/gtest.h>

namespace hookgate::verify {
namespace {

TEST(ReservedOutboundFields, FramingHopByHopAndHookgatesOwnAreReservedInAnyCase) {
  for (const char* name : {"Host", "content-length", "Transfer-Encoding", "CONNECTION", "Keep-Alive", "TE",
                           "Expect", "HTTP2-Settings", "Webhook-Signature", "webhook-id", "Hookgate-Attempt",
                           "traceparent", "TraceState"}) {
    EXPECT_TRUE(is_reserved_outbound_field(name)) << name;
  }
  for (const char* name : {"Content-Type", "X-GitHub-Event", "Stripe-Signature", "webhook-ids", "hos", ""}) {
    EXPECT_FALSE(is_reserved_outbound_field(name)) << name;
  }
}

TEST(FieldNames, AreTokens) {
  for (const char* name : {"Content-Type", "x-a.b_c", "!#$%&'*+-.^_`|~09"}) EXPECT_TRUE(is_field_name(name)) << name;
  for (const char* name : {"", "X Y", "X:Y", "caf\xc3\xa9", "a\tb", "(x)"}) EXPECT_FALSE(is_field_name(name)) << name;
}

}  // namespace
}  // namespace hookgate::verify
