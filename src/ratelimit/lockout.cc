#include "ratelimit/lockout.h"

#include <algorithm>

#include "common/random.h"

namespace gatehouse::ratelimit {

Lockout::Shard& Lockout::ShardFor(std::string_view key) const {
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

std::optional<int64_t> Lockout::Blocked(std::string_view key, int64_t now_ns) const {
  if (!AnyBlocked()) return std::nullopt;
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mutex);
  auto it = shard.states.find(key);
  if (it == shard.states.end() || it->second.blocked_until_ns <= now_ns) return std::nullopt;
  return it->second.blocked_until_ns - now_ns;
}

std::optional<Block> Lockout::Fail(const std::string& key, const BlockPolicy& policy,
                                   int64_t now_ns, TimePoint wall_now, Block info) {
  if (!policy.enabled()) return std::nullopt;
  int64_t duration = 0;
  int strikes = 0;
  {
    Shard& shard = ShardFor(key);
    std::lock_guard lock(shard.mutex);
    if (shard.states.size() >= kMaxPerShard && !shard.states.contains(key)) {
      std::erase_if(shard.states, [&](const auto& kv) {
        return kv.second.blocked_until_ns <= now_ns &&
               kv.second.window.Estimate(now_ns, policy.window_ns) < 1.0 && kv.second.strikes == 0;
      });
    }
    State& s = shard.states[key];
    if (s.blocked_until_ns > now_ns) return std::nullopt;
    if (s.window.Add(now_ns, policy.window_ns) < policy.threshold) return std::nullopt;
    // A day of good behaviour after the last block forgives the earlier ones.
    if (s.strikes > 0 && now_ns - s.last_block_end_ns > 24 * 3600'000'000'000LL) s.strikes = 0;
    ++s.strikes;
    duration = policy.block_ns;
    for (int i = 1; i < s.strikes && duration < policy.max_block_ns; ++i) duration *= 2;
    duration = std::min(duration, policy.max_block_ns);
    s.blocked_until_ns = now_ns + duration;
    s.last_block_end_ns = s.blocked_until_ns;
    s.window = SlidingWindow{};
    strikes = s.strikes;
  }
  info.id = "blk_" + DefaultRandom().Hex(10);
  info.created_at = wall_now;
  info.until = wall_now +
               std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(duration));
  info.strikes = strikes;
  {
    std::lock_guard lock(blocks_mutex_);
    // One listed block per key: a repeat replaces the expired entry.
    std::erase_if(blocks_, [&](const auto& kv) { return kv.second.key == key; });
    blocks_[info.id] = Active{key, info, now_ns + duration};
    active_.store(static_cast<int>(blocks_.size()), std::memory_order_relaxed);
  }
  return info;
}

std::vector<Block> Lockout::List(std::string_view environment_id, int64_t now_ns) const {
  std::vector<Block> out;
  std::lock_guard lock(blocks_mutex_);
  for (const auto& [id, a] : blocks_) {
    if (a.until_ns > now_ns && a.block.environment_id == environment_id) out.push_back(a.block);
  }
  std::sort(out.begin(), out.end(),
            [](const Block& x, const Block& y) { return x.created_at > y.created_at; });
  return out;
}

bool Lockout::Lift(std::string_view environment_id, std::string_view block_id) {
  std::string key;
  {
    std::lock_guard lock(blocks_mutex_);
    auto it = blocks_.find(std::string(block_id));
    if (it == blocks_.end() || it->second.block.environment_id != environment_id) return false;
    key = it->second.key;
    blocks_.erase(it);
    active_.store(static_cast<int>(blocks_.size()), std::memory_order_relaxed);
  }
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mutex);
  if (auto it = shard.states.find(key); it != shard.states.end()) {
    it->second.blocked_until_ns = 0;
    it->second.window = SlidingWindow{};
  }
  return true;
}

void Lockout::Sweep(int64_t now_ns) {
  {
    std::lock_guard lock(blocks_mutex_);
    std::erase_if(blocks_, [&](const auto& kv) { return kv.second.until_ns <= now_ns; });
    active_.store(static_cast<int>(blocks_.size()), std::memory_order_relaxed);
  }
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    std::erase_if(shard.states, [&](const auto& kv) {
      return kv.second.blocked_until_ns <= now_ns && kv.second.strikes == 0 &&
             now_ns - kv.second.window.window_start_ns > 3600'000'000'000LL;
    });
  }
}

}  // namespace gatehouse::ratelimit
