#include "snapshot/revocations.h"

#include <mutex>

namespace gatehouse::snapshot {

std::string RevocationList::Key(std::string_view env_id, std::string_view jti) {
  std::string key;
  key.reserve(env_id.size() + jti.size() + 1);
  key.append(env_id).append("\n").append(jti);
  return key;
}

void RevocationList::Add(std::string_view env_id, std::string_view jti, int64_t expires_at) {
  std::unique_lock lock(mutex_);
  entries_[Key(env_id, jti)] = expires_at;
}

bool RevocationList::Contains(std::string_view env_id, std::string_view jti) const {
  const std::string key = Key(env_id, jti);
  std::shared_lock lock(mutex_);
  return entries_.find(key) != entries_.end();
}

void RevocationList::Purge(int64_t now) {
  std::unique_lock lock(mutex_);
  std::erase_if(entries_, [now](const auto& entry) { return entry.second <= now; });
}

std::size_t RevocationList::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

}  // namespace gatehouse::snapshot
