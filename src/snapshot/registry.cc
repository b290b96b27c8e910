#include "snapshot/registry.h"

#include <malloc.h>

namespace gatehouse::snapshot {

Registry::Registry(store::Store& store, std::string public_url, const crypto::KeySealer& sealer)
    : store_(store),
      public_url_(std::move(public_url)),
      sealer_(sealer),
      maps_(std::make_shared<const Maps>()) {}

// REQUIRES: writer_ held.
Result<std::shared_ptr<const EnvironmentSnapshot>> Registry::Build(const std::string& env_id) {
  SnapshotBuilder builder(public_url_, ++version_, sealer_);
  GH_RETURN_IF_ERROR(store_.VisitEnvironmentConfig(env_id, builder));
  return builder.Finish();
}

Status Registry::LoadAll() {
  GH_ASSIGN_OR_RETURN(auto ids, store_.ListEnvironmentIds());
  std::lock_guard lock(writer_);
  auto maps = std::make_shared<Maps>();
  for (const auto& id : ids) {
    GH_ASSIGN_OR_RETURN(auto snap, Build(id));
    maps->by_path.emplace(snap->project_slug + "/" + snap->environment_slug, snap);
    maps->by_id.emplace(id, std::move(snap));
  }
  maps_.store(std::move(maps));
  loaded_ = true;
  // Loading left the configurations' memory free but mapped (a million clients: hundreds of
  // MiB); hand it back to the system.
  malloc_trim(0);
  return {};
}

Status Registry::Reload(const std::string& env_id) {
  std::lock_guard lock(writer_);
  return ReloadLocked(env_id);
}

Status Registry::ReloadClient(const std::string& env_id, const std::string& id,
                              const std::string& client_id) {
  std::lock_guard lock(writer_);
  auto base = FindById(env_id);
  if (!base) return ReloadLocked(env_id);
  // Read under writer_: the latest committed state of the client, whatever the order in
  // which concurrent writes reach this point.
  auto client = store_.GetClient(env_id, id);
  if (!client && client.error().kind != ErrorKind::kNotFound)
    return Fail(std::move(client.error()));
  auto next = WithClient(*base, ++version_, client_id, client ? &*client : nullptr);
  if (!next) return ReloadLocked(env_id);
  Swap(env_id, std::move(next));
  return {};
}

// REQUIRES: writer_ held.
Status Registry::ReloadLocked(const std::string& env_id) {
  auto snap = Build(env_id);
  if (!snap) {
    if (snap.error().kind != ErrorKind::kNotFound) return Fail(std::move(snap.error()));
    Swap(env_id, nullptr);
    return {};
  }
  Swap(env_id, std::move(*snap));
  return {};
}

void Registry::Remove(const std::string& env_id) {
  std::lock_guard lock(writer_);
  Swap(env_id, nullptr);
}

// REQUIRES: writer_ held.
void Registry::Swap(const std::string& env_id, std::shared_ptr<const EnvironmentSnapshot> snap) {
  auto next = std::make_shared<Maps>(*maps_.load());
  if (auto old = next->by_id.find(env_id); old != next->by_id.end()) {
    next->by_path.erase(old->second->project_slug + "/" + old->second->environment_slug);
    next->by_id.erase(old);
  }
  if (snap) {
    next->by_path.emplace(snap->project_slug + "/" + snap->environment_slug, snap);
    next->by_id.emplace(env_id, std::move(snap));
  }
  maps_.store(std::move(next));
}

std::shared_ptr<const EnvironmentSnapshot> Registry::FindById(std::string_view env_id) const {
  auto maps = maps_.load();
  auto it = maps->by_id.find(env_id);
  return it == maps->by_id.end() ? nullptr : it->second;
}

std::shared_ptr<const EnvironmentSnapshot> Registry::FindByPath(std::string_view project_slug,
                                                                std::string_view env_slug) const {
  auto maps = maps_.load();
  std::string key;
  key.reserve(project_slug.size() + env_slug.size() + 1);
  key.append(project_slug).append("/").append(env_slug);
  auto it = maps->by_path.find(key);
  return it == maps->by_path.end() ? nullptr : it->second;
}

}  // namespace gatehouse::snapshot
