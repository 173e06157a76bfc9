// The field lines of an HTTP/1 header or trailer section (RFC 9112 §5), sans I/O: bytes in, one
// validated field (or the end of the section, or one fault) out at a time. What a field means
// (framing, Host, Connection…) is left to its owner: MessageReader for a head, ChunkedBodyDecoder
// for trailers.
//
// Strict: obs-fold, whitespace before ':' or before the first field line, bare CR or LF, NUL and
// other control characters in a value are faults, never repaired. Every decision is taken at one
// byte position from the bytes before it, so the outcome does not depend on how the input is split
// across feed() calls. Memory is bounded by SectionLimits.
//
// Thread-safety: none; one parser belongs to one message being read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hookgate::gateway::http {

// Which section is read; it only chooses the fault phrases ("header section too large" or
// "trailer section too large", "too many header fields" or "too many trailer fields").
enum class Section : std::uint8_t { header, trailer };

struct SectionLimits {
  std::uint32_t max_bytes = 16384;  // the section's bytes, CRLFs included, plus those already
                                    // charged by begin() (a head's start line)
  std::uint32_t max_fields = 100;
};

class FieldLineParser {
 public:
  enum class Event : std::uint8_t {
    need_more,  // every byte given was consumed; feed more
    field,      // one field line was consumed: name() and value() hold it until the next feed()
    end,        // the empty line ending the section was consumed; terminal until begin()
    failed,     // fault() / detail(); terminal until begin()
  };
  enum class Fault : std::uint8_t {
    none,
    malformed,  // not a valid field line
    too_large,  // over SectionLimits::max_bytes or max_fields
  };
  struct Result {
    std::size_t consumed = 0;  // on Event::failed, includes the offending byte
    Event event = Event::need_more;
  };

  // Ready for a header section with nothing charged yet.
  explicit FieldLineParser(SectionLimits limits = {});

  // Starts a section. `bytes_used` (at most max_bytes) already count against max_bytes: a head's
  // start line and its header fields share one budget.
  void begin(Section section, std::uint64_t bytes_used = 0);

  // Consumes bytes up to and including the LF of the next field line or of the empty line that
  // ends the section, and stops there; on need_more every byte was consumed. Consumes nothing
  // once ended or failed. Never throws on any input; std::bad_alloc only.
  [[nodiscard]] Result feed(std::string_view data);

  // The last field: the name as received (a token), the value without leading or trailing OWS.
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& value() const { return value_; }

  [[nodiscard]] Fault fault() const { return fault_; }
  // A fixed phrase ("obs-fold", "bare LF"); never contains input bytes. Empty without a fault.
  [[nodiscard]] std::string_view detail() const { return detail_; }

 private:
  enum class Step : std::uint8_t;

  std::size_t fail(Fault fault, std::string_view detail);
  std::size_t fail_too_large();
  bool charge(std::size_t n);
  std::size_t take_run(std::string_view data, std::size_t run, std::string& into);
  std::size_t line_begin(unsigned char c);
  std::size_t field_name(std::string_view data);
  std::size_t value_ows(unsigned char c);
  std::size_t field_value(std::string_view data);
  std::size_t line_end(unsigned char c);

  SectionLimits limits_;
  Step step_;
  Section section_ = Section::header;
  Fault fault_ = Fault::none;
  std::string_view detail_;
  std::uint64_t bytes_ = 0;
  std::uint32_t fields_ = 0;
  std::string name_;
  std::string value_;
};

}  // namespace hookgate::gateway::http
