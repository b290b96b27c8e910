#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "snapshot/environment_snapshot.h"

namespace gatehouse::snapshot {

// Revoked token ids of every environment, kept until each token's own expiry. Revocation is a
// management write (persisted first, then added here), so a revoked jti is refused from the
// very next request; readers take a shared lock only.
class RevocationList {
 public:
  void Add(std::string_view env_id, std::string_view jti, int64_t expires_at);
  bool Contains(std::string_view env_id, std::string_view jti) const;
  // Drops entries whose tokens have expired at `now` (Unix seconds).
  void Purge(int64_t now);
  std::size_t size() const;

 private:
  static std::string Key(std::string_view env_id, std::string_view jti);
  mutable std::shared_mutex mutex_;
  StringMap<int64_t> entries_;  // env_id '\n' jti -> exp
};

}  // namespace gatehouse::snapshot
