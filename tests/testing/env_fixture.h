#pragma once

#include <memory>
#include <string>

#include "crypto/key_sealer.h"
#include "crypto/secret_hash.h"
#include "mgmt/account_service.h"
#include "mgmt/api_service.h"
#include "mgmt/client_service.h"
#include "mgmt/key_service.h"
#include "mgmt/project_service.h"
#include "snapshot/registry.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/fakes.h"

namespace gatehouse::test {

// The real management services over a temporary SQLite store, with a fake clock and seeded
// randomness: one developer, one project with development and production.
struct EnvFixture {
  EnvFixture();

  std::shared_ptr<const snapshot::EnvironmentSnapshot> Snapshot(const std::string& env_id) const {
    return registry->FindById(env_id);
  }

  TempDir dir;
  FakeClock clock;
  SeededRandom random;
  std::unique_ptr<store::sqlite::SqliteStore> store;
  crypto::SecretHasher hasher{std::string(32, 'p')};
  crypto::KeySealer sealer{std::string(32, 'm')};
  std::unique_ptr<snapshot::Registry> registry;
  std::unique_ptr<mgmt::Deps> deps;
  std::unique_ptr<mgmt::ProjectService> projects;
  std::unique_ptr<mgmt::ApiService> apis;
  std::unique_ptr<mgmt::ClientService> clients;
  std::unique_ptr<mgmt::KeyService> keys;
  std::string owner = "acc_test";
  domain::Project project;
  std::string dev;  // environment ids
  std::string prod;
};

}  // namespace gatehouse::test
