// Which of an event's stored headers a destination is sent, and in what order, before the
// attempt's own headers are added.
#include "gateway/delivery/forwarded_request.h"

#include <gtest/gtest.h>

namespace hookgate::gateway::delivery {
namespace {

constexpr std::string_view kStored =
    "Content-Type: application/json\r\n"
    "X-GitHub-Event: push\r\n"
    "Connection: keep-alive\r\n"
    "Traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
    "x-request-id: r-1\r\n"
    "Authorization: Bearer vendor\r\n"
    "Webhook-Id: msg_forged\r\n"
    "X-Trailing:   spaced value";  // the last line may lack its CRLF

TEST(StoredHeaders, ParseEachLineIntoNameAndValueWithoutLeadingWhitespace) {
  const HeaderList headers = parse_stored_headers(kStored);
  ASSERT_EQ(headers.size(), 8u);
  EXPECT_EQ(headers[0], (std::pair<std::string, std::string>{"Content-Type", "application/json"}));
  EXPECT_EQ(headers[7], (std::pair<std::string, std::string>{"X-Trailing", "spaced value"}));
  EXPECT_TRUE(parse_stored_headers("").empty());
}

TEST(DestinationHeaders, AllButHopByHopAndHookgatesOwnAreForwardedInOrderThenTheConfiguredOnes) {
  config::DestinationConfig destination;
  destination.headers = {{"authorization", "Bearer internal"}, {"X-Env", "prod"}};
  const HeaderList out = destination_headers(destination, parse_stored_headers(kStored));
  const HeaderList expected = {{"Content-Type", "application/json"},
                               {"X-GitHub-Event", "push"},
                               {"x-request-id", "r-1"},
                               {"X-Trailing", "spaced value"},
                               // The configured ones in the config's (byte) order; one
                               // replaces the vendor's header of the same name.
                               {"X-Env", "prod"},
                               {"authorization", "Bearer internal"}};
  EXPECT_EQ(out, expected);
}

TEST(DestinationHeaders, AForwardHeadersListKeepsOnlyItsNamesAndContentType) {
  config::DestinationConfig destination;
  destination.forward_headers = std::vector<std::string>{"X-Request-Id", "connection", "webhook-id"};
  const HeaderList out = destination_headers(destination, parse_stored_headers(kStored));
  // Listing a hop-by-hop or reserved name does not let it through.
  const HeaderList expected = {{"Content-Type", "application/json"}, {"x-request-id", "r-1"}};
  EXPECT_EQ(out, expected);
}

}  // namespace
}  // namespace hookgate::gateway::delivery
