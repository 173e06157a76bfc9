// The shape of hookgate's log lines. A line is text with key=value fields in it:
//   source=stripe status=200 result=stored id=evt_… request_id=3.1 peer=203.0.113.7:50412
// A value that could hold a space, a quote or a backslash is written through log_value(), which
// quotes it logfmt-style (error="connect_failed: Connection refused"), so that the fields of a
// line can be read back exactly. The `json` log format does that: json_log_line() makes each
// field a member of one JSON object, and what is not a field its "msg".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace hookgate::gateway::loop {

// `value` as it goes after `key=`: as is when it is one plain token (non-empty; no space,
// quote, backslash, '=' or control byte), else in double quotes with \" \\ \n \r \t and \u00XX
// escapes.
[[nodiscard]] std::string log_value(std::string_view value);

// One JSON line (no newline) for a log line's text:
//   {"time":"2024-05-01T12:00:00.123456Z","level":"info","thread":42,"msg":"…", "<key>":<value>…}
// Tokens of the form key=value (key: [a-z_][a-z0-9_]*) are fields, in order; a value written by
// log_value() is unquoted back; an integer (up to 15 digits, no leading zero) becomes a JSON
// number, anything else a string. The remaining words, joined by single spaces, are "msg" (""
// when none). A field named like one of the four fixed members is emitted as "field.<key>".
[[nodiscard]] std::string json_log_line(std::chrono::system_clock::time_point time, std::string_view level,
                                        uint64_t thread, std::string_view text);

}  // namespace hookgate::gateway::loop
