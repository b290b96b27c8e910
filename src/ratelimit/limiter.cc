#include "ratelimit/limiter.h"

#include <chrono>

namespace gatehouse::ratelimit {

int64_t Limiter::Admit(std::string_view key, const Limit& limit, int64_t now_ns) {
  if (!limit.enabled()) return 0;
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % kShards];
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= kMaxPerShard) {
      std::erase_if(shard.buckets, [&](const auto& kv) {
        return kv.second.Full(now_ns, limit.requests_per_second, limit.burst);
      });
      // Still full of busy keys: start over rather than grow without bound. A key that was
      // limited gets a fresh bucket, which only errs towards admitting.
      if (shard.buckets.size() >= kMaxPerShard) shard.buckets.clear();
    }
    it = shard.buckets.emplace(std::string(key), TokenBucket{}).first;
  }
  return it->second.Admit(now_ns, limit.requests_per_second, limit.burst);
}

int64_t RetryAfterSeconds(int64_t wait_ns) {
  if (wait_ns >= INT64_MAX / 2) return 3600;
  return std::max<int64_t>(1, (wait_ns + 999'999'999) / 1'000'000'000);
}

int64_t MonotonicNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace gatehouse::ratelimit
