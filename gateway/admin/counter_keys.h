// The names of the counters the console charts (AdminControl::counters(), CounterHistory):
// one place, so what the server samples and what the API reads cannot disagree.
#pragma once

#include <string>
#include <string_view>

namespace hookgate::gateway::admin::counter_keys {

// Unit separator: no config name holds it, so "a" + "b/c" never meets "a/b" + "c".
inline std::string key(std::string_view kind, std::string_view name, std::string_view what) {
  std::string out;
  out.reserve(kind.size() + name.size() + what.size() + 2);
  out.append(kind).push_back('\x1f');
  out.append(name).push_back('\x1f');
  return out.append(what);
}

// Per source: received, stored, duplicates, rejected, and rejected.<verdict> for each reason.
inline std::string source(std::string_view name, std::string_view what) { return key("source", name, what); }
// Per destination: attempts, delivered, failed (an attempt that did not deliver), and the
// attempt-latency histogram: latency_count, latency_sum_us, latency_le.<i> (cumulative, by
// metrics::latency_bounds()).
inline std::string destination(std::string_view name, std::string_view what) { return key("destination", name, what); }

}  // namespace hookgate::gateway::admin::counter_keys
