#include "testing/env_fixture.h"

#include <gtest/gtest.h>

namespace gatehouse::test {

EnvFixture::EnvFixture() {
  store = std::move(*store::sqlite::SqliteStore::Open(dir.path() + "/t.db"));
  registry = std::make_unique<snapshot::Registry>(*store, "https://auth.test", sealer);
  deps = std::make_unique<mgmt::Deps>(
      mgmt::Deps{*store, *registry, hasher, sealer, clock, random, "https://auth.test"});
  projects = std::make_unique<mgmt::ProjectService>(*deps);
  apis = std::make_unique<mgmt::ApiService>(*deps);
  clients = std::make_unique<mgmt::ClientService>(*deps);
  keys = std::make_unique<mgmt::KeyService>(*deps);
  EXPECT_TRUE(store->CreateAccount({owner, "dev@example.test", "x", clock.Now()}).has_value());
  EXPECT_TRUE(registry->LoadAll().has_value());
  auto created = projects->Create(owner, {std::string("Acme"), std::nullopt, std::nullopt});
  EXPECT_TRUE(created.has_value());
  project = *created;
  dev = project.environments[0].id;
  prod = project.environments[1].id;
}

}  // namespace gatehouse::test
