#include "verify/encoding.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace hookgate::verify {
namespace {

std::vector<unsigned char> bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(Hex, EncodesLowercase) {
  const std::array<unsigned char, 4> in{0x00, 0xAB, 0x7f, 0xff};
  EXPECT_EQ(hex_encode(in), "00ab7fff");
}

TEST(Hex, DecodesEitherCase) {
  std::array<unsigned char, 4> out{};
  ASSERT_EQ(hex_decode("00AB7fFf", out), 4u);
  EXPECT_EQ(out, (std::array<unsigned char, 4>{0x00, 0xab, 0x7f, 0xff}));
}

TEST(Hex, RejectsOddLengthNonHexAndOverflow) {
  std::array<unsigned char, 4> out{};
  EXPECT_EQ(hex_decode("abc", out), std::nullopt);
  EXPECT_EQ(hex_decode("zz", out), std::nullopt);
  EXPECT_EQ(hex_decode("ab cd", out), std::nullopt);
  EXPECT_EQ(hex_decode("0011223344", out), std::nullopt);  // 5 bytes into 4
}

// The decoder is arithmetic, not a table: every byte value, in either position of a pair,
// must decode as the hex digit it is or fail the whole text.
TEST(Hex, EveryByteValueDecodesAsItsDigitOrFails) {
  const auto value = [](int c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (int c = 0; c < 256; ++c) {
    for (const bool high : {true, false}) {
      std::string text = "77";
      text[high ? 0 : 1] = static_cast<char>(c);
      std::array<unsigned char, 1> out{};
      const auto size = hex_decode(text, out);
      if (value(c) < 0) {
        EXPECT_EQ(size, std::nullopt) << c;
      } else {
        ASSERT_EQ(size, 1u) << c;
        EXPECT_EQ(out[0], high ? value(c) * 16 + 7 : 0x70 + value(c)) << c;
      }
    }
  }
}

TEST(Base64, EncodesWithPadding) {
  EXPECT_EQ(base64_encode(bytes("a")), "YQ==");
  EXPECT_EQ(base64_encode(bytes("ab")), "YWI=");
  EXPECT_EQ(base64_encode(bytes("abc")), "YWJj");
  EXPECT_EQ(base64_encode(bytes("")), "");
}

TEST(Base64, DecodesPaddedStandardBase64) {
  std::array<unsigned char, 8> out{};
  ASSERT_EQ(base64_decode("YWI=", out), 2u);
  EXPECT_EQ(out[0], 'a');
  EXPECT_EQ(out[1], 'b');
  EXPECT_EQ(base64_decode("YQ==", out), 1u);
  EXPECT_EQ(base64_decode("YWJj", out), 3u);
  EXPECT_EQ(base64_decode("+/+/", out), 3u);
  EXPECT_EQ(out[0], 0xfb);
}

TEST(Base64, RejectsMisplacedPaddingWhitespaceAndOtherAlphabets) {
  std::array<unsigned char, 8> out{};
  EXPECT_EQ(base64_decode("", out), std::nullopt);
  EXPECT_EQ(base64_decode("YWI", out), std::nullopt);    // missing padding
  EXPECT_EQ(base64_decode("YWI==", out), std::nullopt);  // not a multiple of 4
  EXPECT_EQ(base64_decode("=YWI", out), std::nullopt);
  EXPECT_EQ(base64_decode("Y=I=", out), std::nullopt);
  EXPECT_EQ(base64_decode("Y===", out), std::nullopt);
  EXPECT_EQ(base64_decode("YW I=", out), std::nullopt);
  EXPECT_EQ(base64_decode(" YWI", out), std::nullopt);
  EXPECT_EQ(base64_decode("YWJj    ", out), std::nullopt);
  EXPECT_EQ(base64_decode("YWI_", out), std::nullopt);  // URL-safe alphabet
  EXPECT_EQ(base64_decode("YW\xffI", out), std::nullopt);
  EXPECT_EQ(base64_decode("YWJjYWJjYWJj", out), std::nullopt);  // 9 bytes into 8
}

TEST(Base64, UnusedLowBitsAreNotChecked) {
  // Documented leniency: "YWJ=" has non-zero unused bits and still decodes to "ab".
  std::array<unsigned char, 8> out{};
  ASSERT_EQ(base64_decode("YWJ=", out), 2u);
  EXPECT_EQ(out[1], 'b');
}

TEST(DecodeSecret, RawIsTheStringBytes) {
  const auto key = decode_secret(SecretEncoding::raw, "whsec_test");
  ASSERT_TRUE(key);
  EXPECT_EQ(std::string(key->begin(), key->end()), "whsec_test");
}

TEST(DecodeSecret, WhsecStripsPrefixAndDecodesBase64) {
  const auto with_prefix =
      decode_secret(SecretEncoding::whsec, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  const auto without = decode_secret(SecretEncoding::whsec, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(with_prefix);
  ASSERT_TRUE(without);
  EXPECT_EQ(with_prefix->size(), 24u);
  EXPECT_EQ(hex_encode(*with_prefix), "31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0");
  EXPECT_EQ(*with_prefix, *without);
}

TEST(DecodeSecret, Base64WithOrWithoutPadding) {
  const auto padded = decode_secret(SecretEncoding::base64, "YWI=");
  const auto unpadded = decode_secret(SecretEncoding::base64, "YWI");
  ASSERT_TRUE(padded);
  ASSERT_TRUE(unpadded);
  EXPECT_EQ(*padded, bytes("ab"));
  EXPECT_EQ(*unpadded, bytes("ab"));
}

TEST(DecodeSecret, HexDecodes) {
  const auto key = decode_secret(SecretEncoding::hex, "DFB1eb54");
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, (std::vector<unsigned char>{0xdf, 0xb1, 0xeb, 0x54}));
}

TEST(DecodeSecret, RejectsUndecodableAndEmpty) {
  EXPECT_EQ(decode_secret(SecretEncoding::base64, "not base64!"), std::nullopt);
  EXPECT_EQ(decode_secret(SecretEncoding::whsec, "whsec_"), std::nullopt);
  EXPECT_EQ(decode_secret(SecretEncoding::hex, "abc"), std::nullopt);
  EXPECT_EQ(decode_secret(SecretEncoding::hex, "xyz0"), std::nullopt);
  EXPECT_EQ(decode_secret(SecretEncoding::raw, ""), std::nullopt);
}

}  // namespace
}  // namespace hookgate::verify
