#include "gateway/connections/protocol_sniffer.h"

#include <gtest/gtest.h>

#include <string>

namespace hookgate::gateway::connections {
namespace {

TEST(ProtocolSniffer, ThePrefaceByteByByteWaitsThenSaysHttp2) {
  const std::string preface(kHttp2Preface);
  EXPECT_EQ(sniff_protocol(""), Sniffed::need_more);
  for (size_t n = 1; n < preface.size(); ++n) EXPECT_EQ(sniff_protocol(preface.substr(0, n)), Sniffed::need_more) << n;
  EXPECT_EQ(sniff_protocol(preface), Sniffed::http2);
  EXPECT_EQ(sniff_protocol(preface + "\x00\x00\x00\x04"), Sniffed::http2);
}

TEST(ProtocolSniffer, TheFirstDifferentByteSaysHttp1) {
  EXPECT_EQ(sniff_protocol("POST /in/stripe HTTP/1.1\r\n"), Sniffed::http1);
  EXPECT_EQ(sniff_protocol("P"), Sniffed::need_more);  // could still be "PRI"
  EXPECT_EQ(sniff_protocol("PO"), Sniffed::http1);
  EXPECT_EQ(sniff_protocol("PRI * HTTP/1.1\r\n"), Sniffed::http1);
  EXPECT_EQ(sniff_protocol("PRI * HTTP/2.0\r\n\r\nSM\r\n\r"), Sniffed::need_more);
  EXPECT_EQ(sniff_protocol("PRI * HTTP/2.0\r\n\r\nSM\r\n\rX"), Sniffed::http1);
  EXPECT_EQ(sniff_protocol(std::string("\x16\x03\x01", 3)), Sniffed::http1);  // TLS on a cleartext port
}

}  // namespace
}  // namespace hookgate::gateway::connections
