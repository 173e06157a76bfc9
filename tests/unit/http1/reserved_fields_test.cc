// The one list of fields hookgate writes itself on the way out (forwarded requests drop them,
// transform scripts cannot set them): hop-by-hop, framing, webhook-* and trace context.
#include "gateway/http1/reserved_fields.h"

#include <gtest/gtest.h>

namespace hookgate::http1 {
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

}  // namespace
}  // namespace hookgate::http1
