#pragma once

#include <algorithm>
#include <cstdint>

namespace gatehouse::ratelimit {

// A token bucket over a caller-supplied monotonic clock (nanoseconds), so that tests drive time.
// Starts full. Admit() takes one token or says how long until one is available.
struct TokenBucket {
  double tokens = -1;  // < 0: not started (full on first use)
  int64_t last_ns = 0;

  // 0 when admitted; otherwise the nanoseconds to wait for a token.
  int64_t Admit(int64_t now_ns, double rate_per_second, double burst) {
    if (tokens < 0) {
      tokens = burst;
    } else if (now_ns > last_ns) {
      tokens =
          std::min(burst, tokens + static_cast<double>(now_ns - last_ns) * rate_per_second / 1e9);
    }
    last_ns = std::max(last_ns, now_ns);
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return 0;
    }
    if (rate_per_second <= 0) return INT64_MAX;
    return static_cast<int64_t>((1.0 - tokens) * 1e9 / rate_per_second) + 1;
  }
  // True when the bucket would be full at `now_ns` (it can be forgotten).
  bool Full(int64_t now_ns, double rate_per_second, double burst) const {
    return tokens < 0 ||
           tokens + static_cast<double>(now_ns - last_ns) * rate_per_second / 1e9 >= burst;
  }
};

// Counts events in a sliding window, approximated from two fixed windows (the previous one
// weighted by how much of it still overlaps): constant memory per key, error bounded by the
// previous window's share.
struct SlidingWindow {
  int64_t window_start_ns = 0;
  uint32_t current = 0;
  uint32_t previous = 0;

  // Adds one event at `now_ns` and returns the estimated count within the last `window_ns`.
  double Add(int64_t now_ns, int64_t window_ns) {
    Roll(now_ns, window_ns);
    ++current;
    return Estimate(now_ns, window_ns);
  }
  double Estimate(int64_t now_ns, int64_t window_ns) const {
    const double elapsed =
        static_cast<double>(now_ns - window_start_ns) / static_cast<double>(window_ns);
    const double weight = std::max(0.0, 1.0 - elapsed);
    return static_cast<double>(current) + static_cast<double>(previous) * weight;
  }
  void Roll(int64_t now_ns, int64_t window_ns) {
    if (window_start_ns == 0) window_start_ns = now_ns;
    const int64_t windows = (now_ns - window_start_ns) / window_ns;
    if (windows >= 1) {
      previous = windows == 1 ? current : 0;
      current = 0;
      window_start_ns += windows * window_ns;
    }
  }
};

}  // namespace gatehouse::ratelimit
