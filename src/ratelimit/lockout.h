#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "ratelimit/token_bucket.h"

namespace gatehouse::ratelimit {

struct BlockPolicy {
  int threshold = 10;                        // failures within the window that block
  int64_t window_ns = 60'000'000'000;        // 60 s
  int64_t block_ns = 15 * 60'000'000'000LL;  // first block; doubles on each repeat
  int64_t max_block_ns = 24 * 3600'000'000'000LL;
  bool enabled() const { return threshold > 0; }
};

// Who is blocked, for the management API and alerts.
struct Block {
  std::string id;
  std::string environment_id;  // empty for developer logins
  std::string project_id;
  std::string kind;  // "client_ip", "ip", "verify_source", "login"
  std::string client_id;
  std::string ip;
  TimePoint created_at;
  TimePoint until;
  int strikes = 1;  // how many times this key was blocked (the duration doubles each time)
};

// Failure counting and blocking by key. Keys are opaque ("env|client|ip"). Blocked() is the
// hot-path question: one relaxed load when nothing is blocked at all, one shard lookup
// otherwise. Thread-safe.
class Lockout {
 public:
  static constexpr std::size_t kShards = 32;
  static constexpr std::size_t kMaxPerShard = 8192;

  // Remaining nanoseconds when `key` is blocked at `now_ns`.
  std::optional<int64_t> Blocked(std::string_view key, int64_t now_ns) const;
  bool AnyBlocked() const { return active_.load(std::memory_order_relaxed) > 0; }
  // Listed blocks not yet swept (expired ones go at the next Sweep()).
  int ActiveCount() const { return active_.load(std::memory_order_relaxed); }
  // Counts a failure. When it crosses the policy's threshold the key is blocked: returns the
  // new Block (from `info`, with id, times and strikes filled in). Failures while blocked are
  // not counted (the caller refused them before checking anything).
  std::optional<Block> Fail(const std::string& key, const BlockPolicy& policy, int64_t now_ns,
                            TimePoint wall_now, Block info);
  // Active blocks of an environment (or, with "", of developer logins).
  std::vector<Block> List(std::string_view environment_id, int64_t now_ns) const;
  // Lifts one block; false when no such active block in that environment. The key's strike
  // count stays, so a repeat offender still gets a longer block next time.
  bool Lift(std::string_view environment_id, std::string_view block_id);
  // Forgets expired blocks and idle counters.
  void Sweep(int64_t now_ns);

 private:
  struct State {
    SlidingWindow window;
    int64_t blocked_until_ns = 0;
    int64_t last_block_end_ns = 0;
    int strikes = 0;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, State, Hash, std::equal_to<>> states;
  };
  struct Active {
    std::string key;
    Block block;
    int64_t until_ns = 0;
  };
  Shard& ShardFor(std::string_view key) const;

  mutable std::array<Shard, kShards> shards_;
  mutable std::mutex blocks_mutex_;
  std::map<std::string, Active> blocks_;  // by block id
  std::atomic<int> active_{0};
  std::atomic<uint64_t> next_id_{1};
};

}  // namespace gatehouse::ratelimit
