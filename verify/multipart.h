// multipart/form-data bodies (RFC 7578), read the way a vendor's callback needs it: one named
// text field (Dropbox Sign posts its event as the field "json"). Sans-I/O and bounded: views
// into the body, no allocation, at most kMaxMultipartParts parts and kMaxPartHeaderBytes of
// headers per part; anything malformed is "no field", never an error thrown.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hookgate::verify {

inline constexpr std::size_t kMaxMultipartParts = 64;
inline constexpr std::size_t kMaxPartHeaderBytes = 4096;
inline constexpr std::size_t kMaxBoundaryBytes = 70;  // RFC 2046 §5.1.1

// The boundary parameter of a multipart/form-data Content-Type value (quoted or not), or
// nullopt when the type is another one or the boundary is empty, too long or not printable.
[[nodiscard]] std::optional<std::string_view> multipart_boundary(std::string_view content_type);

// The content of the first part whose Content-Disposition is form-data with name="`name`",
// as a view into `body`; nullopt when there is none or the body is not well formed up to it.
// Parts are delimited by CRLF "--" boundary; the part's headers end at the first CRLF CRLF.
[[nodiscard]] std::optional<std::string_view> multipart_field(std::string_view body,
                                                              std::string_view boundary,
                                                              std::string_view name);

// A body of one text field per (name, value), delimited by `boundary` (for sign() and tests).
[[nodiscard]] std::string multipart_body(std::string_view boundary, std::string_view name,
                                         std::string_view value);

}  // namespace hookgate::verify
