#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ratelimit/token_bucket.h"

namespace gatehouse::ratelimit {

struct Limit {
  double requests_per_second = 0;
  double burst = 0;
  bool enabled() const { return requests_per_second > 0 && burst >= 1; }
};

// Token buckets by key ("login|127.0.0.1"), in 64 shards each with its own mutex, so that two
// requests contend only when their keys hash to the same shard. A shard that grows past its
// bound forgets its full buckets (they carry no state). Thread-safe.
class Limiter {
 public:
  static constexpr std::size_t kShards = 64;
  static constexpr std::size_t kMaxPerShard = 4096;

  // 0 when admitted, else the nanoseconds until a token is available.
  int64_t Admit(std::string_view key, const Limit& limit, int64_t now_ns);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, TokenBucket, Hash, std::equal_to<>> buckets;
  };
  std::array<Shard, kShards> shards_;
};

// Seconds for a Retry-After header: at least 1.
int64_t RetryAfterSeconds(int64_t wait_ns);

// Monotonic nanoseconds (steady_clock).
int64_t MonotonicNanos();

}  // namespace gatehouse::ratelimit
