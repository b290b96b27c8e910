// A management write is visible in the hot paths' snapshot as soon as its call has returned.
#include "snapshot/registry.h"

#include <gtest/gtest.h>

#include "testing/env_fixture.h"

namespace gatehouse::snapshot {
namespace {

using test::EnvFixture;

TEST(RegistryTest, EveryWriteIsVisibleWhenItsCallReturns) {
  EnvFixture f;
  auto env = f.Snapshot(f.dev);
  ASSERT_NE(env, nullptr);
  EXPECT_EQ(env->issuer, "https://auth.test/oauth/acme/development");
  EXPECT_EQ(f.registry->FindByPath("acme", "production")->environment_id, f.prod);

  auto api = f.apis->Create(f.owner, f.dev,
                            {std::string("Orders"),
                             std::string("https://orders.test"),
                             std::vector<domain::Scope>{{"read", ""}, {"write", ""}},
                             {},
                             {}});
  ASSERT_TRUE(api.has_value());
  env = f.Snapshot(f.dev);
  ASSERT_NE(env->FindApi("https://orders.test"), nullptr);
  EXPECT_NE(env->SigningKey("ES256"), nullptr);
  EXPECT_EQ(env->published_keys.by_kid.size(), 2u);  // current + next
  EXPECT_NE(env->FindApiByCredential(api->api.credential_client_id), nullptr);
  EXPECT_EQ(f.Snapshot(f.prod)->FindApi("https://orders.test"), nullptr);

  auto client = f.clients->Create(
      f.owner, f.dev,
      {std::string("C"),
       {},
       {},
       {},
       std::vector<mgmt::GrantInput>{{"https://orders.test", {"write", "read"}}}});
  ASSERT_TRUE(client.has_value());
  env = f.Snapshot(f.dev);
  const auto* entry = env->FindClient(client->client.client_id);
  ASSERT_NE(entry, nullptr);
  ASSERT_EQ(entry->grants.size(), 1u);
  EXPECT_EQ(entry->grants[0].scopes->joined, "write read");
  EXPECT_TRUE(f.hasher.Matches(client->secret.Reveal(), entry->secrets[0].hash));

  ASSERT_TRUE(f.clients->RotateSecret(f.owner, f.dev, client->client.id, 60).has_value());
  EXPECT_EQ(f.Snapshot(f.dev)->FindClient(client->client.client_id)->secrets.size(), 2u);

  ASSERT_TRUE(f.clients->Update(f.owner, f.dev, client->client.id, {{}, {}, {}, false, {}}));
  EXPECT_FALSE(f.Snapshot(f.dev)->FindClient(client->client.client_id)->enabled);

  ASSERT_TRUE(f.clients->RevokeTokens(f.owner, f.dev, client->client.id).has_value());
  EXPECT_EQ(f.Snapshot(f.dev)->FindClient(client->client.client_id)->tokens_revoked_at_ms,
            std::chrono::duration_cast<std::chrono::milliseconds>(f.clock.Now().time_since_epoch())
                .count());

  const auto before = f.Snapshot(f.dev)->published_keys.by_kid.size();
  ASSERT_TRUE(f.keys->Rotate(f.owner, f.dev, std::nullopt).has_value());
  EXPECT_EQ(f.Snapshot(f.dev)->published_keys.by_kid.size(), before + 1);  // + new next

  ASSERT_TRUE(f.clients->Delete(f.owner, f.dev, client->client.id));
  EXPECT_EQ(f.Snapshot(f.dev)->FindClient(client->client.client_id), nullptr);

  ASSERT_TRUE(f.projects->Delete(f.owner, f.project.id));
  EXPECT_EQ(f.Snapshot(f.dev), nullptr);
  EXPECT_EQ(f.registry->FindByPath("acme", "development"), nullptr);
}

TEST(RegistryTest, ReadersKeepTheirSnapshotWhileWritersSwap) {
  EnvFixture f;
  auto held = f.Snapshot(f.dev);
  ASSERT_TRUE(f.apis
                  ->Create(f.owner, f.dev,
                           {std::string("Orders"),
                            std::string("urn:orders"),
                            std::vector<domain::Scope>{{"read", ""}},
                            {},
                            {}})
                  .has_value());
  EXPECT_EQ(held->FindApi("urn:orders"), nullptr);  // immutable: the old view is unchanged
  EXPECT_NE(f.Snapshot(f.dev)->FindApi("urn:orders"), nullptr);
  EXPECT_GT(f.Snapshot(f.dev)->version, held->version);
}

TEST(RegistryTest, ARestartedRegistryLoadsTheSameKeys) {
  EnvFixture f;
  ASSERT_TRUE(f.apis
                  ->Create(f.owner, f.dev,
                           {std::string("Orders"),
                            std::string("urn:orders"),
                            std::vector<domain::Scope>{{"read", ""}},
                            {},
                            std::string("EdDSA")})
                  .has_value());
  Registry fresh(*f.store, "https://auth.test", f.sealer);
  ASSERT_TRUE(fresh.LoadAll().has_value());
  EXPECT_EQ(fresh.FindById(f.dev)->jwks_json, f.Snapshot(f.dev)->jwks_json);
  // A different master key cannot open the stored keys: start-up fails rather than serve.
  crypto::KeySealer wrong(std::string(32, 'x'));
  Registry other(*f.store, "https://auth.test", wrong);
  EXPECT_FALSE(other.LoadAll().has_value());
}

}  // namespace
}  // namespace gatehouse::snapshot
