// Hex and base64 text <-> bytes, for signatures and secrets. Backed by libsodium (whose
// decoders run in time independent of the characters' values, as key material needs), a
// constant-time hex decoder of our own and, for signature base64 on the verify path,
// OpenSSL's faster EVP_DecodeBlock.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verify/spec.h"

namespace hookgate::verify {

// Lowercase hex.
[[nodiscard]] std::string hex_encode(std::span<const unsigned char> bytes);
// Standard base64 (RFC 4648 §4) with '=' padding.
[[nodiscard]] std::string base64_encode(std::span<const unsigned char> bytes);
// URL-safe base64 (RFC 4648 §5, '-' and '_') without padding (Sanity's signatures).
[[nodiscard]] std::string base64url_encode(std::span<const unsigned char> bytes);

// Decode all of `text` into the front of `out` and return the byte count; nullopt when
// `text` is not entirely valid or the bytes do not fit in `out`. No allocation.
// Hex: even length, either case; constant time in the characters' values.
[[nodiscard]] std::optional<std::size_t> hex_decode(std::string_view text,
                                                    std::span<unsigned char> out);
// Base64 of a signature: standard alphabet, '=' padding required, no whitespace, at most 256
// characters. The unused low bits of the last character are not checked (they cannot make a
// MAC match that would not match otherwise). Variable time: for public input only.
[[nodiscard]] std::optional<std::size_t> base64_decode(std::string_view text,
                                                       std::span<unsigned char> out);

// URL-safe base64 of a signature, without padding (padding is refused), at most 256
// characters. Variable time: for public input only.
[[nodiscard]] std::optional<std::size_t> base64url_decode(std::string_view text,
                                                          std::span<unsigned char> out);

// decode the signature text `text` as `encoding` says (hex, base64 or base64url).
[[nodiscard]] std::optional<std::size_t> decode_signature(Encoding encoding, std::string_view text,
                                                          std::span<unsigned char> out);
// The signature bytes as `encoding` writes them.
[[nodiscard]] std::string encode_signature(Encoding encoding, std::span<const unsigned char> bytes);
// The length of `bytes` signature bytes once encoded.
[[nodiscard]] std::size_t encoded_signature_size(Encoding encoding, std::size_t bytes);

// A configured secret string as HMAC key bytes (see SecretEncoding in spec.h). base64 and
// whsec accept the value with or without '=' padding. nullopt when the text does not decode
// or decodes to nothing. The caller owns the bytes and should wipe them after use.
[[nodiscard]] std::optional<std::vector<unsigned char>> decode_secret(SecretEncoding encoding,
                                                                      std::string_view secret);

}  // namespace hookgate::verify
