#include "gateway/delivery/trace_context.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace hookgate::gateway::delivery {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kVendor = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr std::string_view kSpan = "b7ad6b7169203331";

TEST(Traceparent, Version00IsReadExactly) {
  const auto trace = parse_traceparent(kVendor);
  ASSERT_TRUE(trace);
  EXPECT_EQ(trace->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(trace->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(trace->flags, 0x01);
  EXPECT_EQ(format_traceparent(*trace), kVendor);
  EXPECT_TRUE(parse_traceparent(" 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00\t"));
}

TEST(Traceparent, MalformedValuesAreNotBelieved) {
  for (const char* bad : {
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",     // uppercase
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",     // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",     // zero parent id
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // version ff
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-ext", // 00 takes nothing more
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",        // no flags
           "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // separator
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",     // not hex
           "",
       }) {
    EXPECT_FALSE(parse_traceparent(bad)) << bad;
  }
}

TEST(Traceparent, ALaterVersionIsReadAsVersion00) {
  const auto trace = parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-future");
  ASSERT_TRUE(trace);
  EXPECT_EQ(trace->flags, 0x01);  // only "sampled" is known to mean the same
  EXPECT_EQ(format_traceparent(*trace), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_FALSE(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03x"));
}

TEST(AttemptTrace, TheVendorsTraceIsContinuedWithItsTracestate) {
  const Headers headers{{"Content-Type", "application/json"},
                        {"TraceParent", std::string(kVendor)},
                        {"tracestate", "congo=t61rcWkgMzE"},
                        {"Tracestate", "rojo=00f067aa0ba902b7"}};
  const AttemptTrace trace = attempt_trace(headers, "evt_01ARZ3NDEKTSV4RRFFQ69G5FAV", kSpan);
  EXPECT_TRUE(trace.continued);
  EXPECT_EQ(format_traceparent(trace.traceparent), "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01");
  EXPECT_EQ(trace.tracestate, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
}

TEST(AttemptTrace, WithoutAVendorTraceTheEventIdIsTheTrace) {
  // A ULID is 128 bits: evt_00000000000000000000000001 is trace 0…01, 7ZZ…Z is all ones.
  const AttemptTrace low = attempt_trace({}, "evt_00000000000000000000000001", kSpan);
  EXPECT_FALSE(low.continued);
  EXPECT_EQ(format_traceparent(low.traceparent), "00-00000000000000000000000000000001-b7ad6b7169203331-01");
  EXPECT_EQ(low.tracestate, std::nullopt);
  EXPECT_EQ(attempt_trace({}, "evt_7ZZZZZZZZZZZZZZZZZZZZZZZZZ", kSpan).traceparent.trace_id,
            std::string(32, 'f'));
  // Every attempt of one event is the same trace, each its own span.
  const AttemptTrace a = attempt_trace({}, "evt_01ARZ3NDEKTSV4RRFFQ69G5FAV", kSpan);
  const AttemptTrace b = attempt_trace({}, "evt_01ARZ3NDEKTSV4RRFFQ69G5FAV", "0000000000000001");
  EXPECT_EQ(a.traceparent.trace_id, b.traceparent.trace_id);
  EXPECT_NE(a.traceparent.parent_id, b.traceparent.parent_id);
  EXPECT_EQ(a.traceparent.trace_id, "01563e3ab5d3d6764c61efb99302bd5b");
}

TEST(AttemptTrace, TwoTraceparentsOrAMalformedOneStartANewTrace) {
  const Headers two{{"traceparent", std::string(kVendor)},
                    {"traceparent", "00-11111111111111111111111111111111-00f067aa0ba902b7-01"},
                    {"tracestate", "congo=t61rcWkgMzE"}};
  const AttemptTrace trace = attempt_trace(two, "evt_00000000000000000000000001", kSpan);
  EXPECT_FALSE(trace.continued);
  EXPECT_EQ(trace.traceparent.trace_id, "00000000000000000000000000000001");
  EXPECT_EQ(trace.tracestate, std::nullopt);  // a tracestate belongs to the trace it came with
  const AttemptTrace bad = attempt_trace({{"traceparent", "garbage"}}, "evt_00000000000000000000000001", kSpan);
  EXPECT_FALSE(bad.continued);
  // Past 128 bits is not a ULID: the span id still makes a valid, non-zero trace id.
  EXPECT_EQ(attempt_trace({}, "evt_80000000000000000000000000", kSpan).traceparent.trace_id,
            std::string(kSpan) + std::string(kSpan));
}

}  // namespace
}  // namespace hookgate::gateway::delivery
