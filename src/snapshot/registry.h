#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"
#include "snapshot/environment_snapshot.h"
#include "store/store.h"

namespace gatehouse::snapshot {

// The hot paths' only view of the configuration: every environment's snapshot, by id and by
// issuer path ("{project_slug}/{env_slug}"). Readers take one atomic load and never block on
// writers or on the database. Writers (management calls, after their transaction committed)
// rebuild the environment from the store, or for a write to one client re-read just that
// client, and swap the whole map in; they are serialised, and what they read is always the
// latest committed state, so the last swap wins with everything.
class Registry {
 public:
  Registry(store::Store& store, std::string public_url, const crypto::KeySealer& sealer);

  // Loads every environment. Called once at start-up.
  Status LoadAll();
  // Rebuilds one environment from the store (removes it if it no longer exists).
  Status Reload(const std::string& env_id);
  // After a write to one client (row id `id`, public `client_id`): reads just that client from
  // the store and replaces, adds or (when it is gone) removes its entry in a copy of the
  // environment's snapshot. Falls back to Reload() when the snapshot cannot take the change
  // alone (the environment is not loaded, or the client is granted an API it does not know).
  Status ReloadClient(const std::string& env_id, const std::string& id,
                      const std::string& client_id);
  void Remove(const std::string& env_id);

  std::shared_ptr<const EnvironmentSnapshot> FindById(std::string_view env_id) const;
  std::shared_ptr<const EnvironmentSnapshot> FindByPath(std::string_view project_slug,
                                                        std::string_view env_slug) const;
  bool loaded() const { return loaded_.load(); }
  uint64_t version() const { return version_.load(); }
  const std::string& public_url() const { return public_url_; }

 private:
  struct Maps {
    StringMap<std::shared_ptr<const EnvironmentSnapshot>> by_id;
    StringMap<std::shared_ptr<const EnvironmentSnapshot>> by_path;
  };
  void Swap(const std::string& env_id, std::shared_ptr<const EnvironmentSnapshot> snap);
  Result<std::shared_ptr<const EnvironmentSnapshot>> Build(const std::string& env_id);
  Status ReloadLocked(const std::string& env_id);

  store::Store& store_;
  const std::string public_url_;
  const crypto::KeySealer& sealer_;
  std::atomic<std::shared_ptr<const Maps>> maps_;
  std::mutex writer_;
  std::atomic<uint64_t> version_{0};
  std::atomic<bool> loaded_{false};
};

}  // namespace gatehouse::snapshot
