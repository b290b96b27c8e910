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

TEST(RegistryTest, AClientWriteReplacesOnlyThatClientsEntry) {
  EnvFixture f;
  ASSERT_TRUE(f.apis
                  ->Create(f.owner, f.dev,
                           {std::string("Orders"),
                            std::string("urn:orders"),
                            std::vector<domain::Scope>{{"read", ""}, {"write", ""}},
                            {},
                            {}})
                  .has_value());
  auto make = [&f](const std::string& name) {
    auto created = f.clients->Create(
        f.owner, f.dev,
        {name, {}, {}, {}, std::vector<mgmt::GrantInput>{{"urn:orders", {"read"}}}});
    EXPECT_TRUE(created.has_value());
    return created->client;
  };
  auto a = make("A");
  auto b = make("B");
  auto before = f.Snapshot(f.dev);
  const ClientEntry* b_entry = before->FindClient(b.client_id);
  ASSERT_NE(b_entry, nullptr);

  ASSERT_TRUE(f.clients->Update(
      f.owner, f.dev, a.id,
      {{}, {}, {}, {}, std::vector<mgmt::GrantInput>{{"urn:orders", {"write", "read"}}}}));
  auto after = f.Snapshot(f.dev);
  EXPECT_GT(after->version, before->version);
  EXPECT_EQ(after->FindClient(b.client_id), b_entry);  // the same object: not rebuilt
  EXPECT_EQ(after->FindClient(a.client_id)->grants[0].scopes->joined, "write read");
  EXPECT_EQ(before->FindClient(a.client_id)->grants[0].scopes->joined, "read");  // immutable
  EXPECT_EQ(after->jwks_json, before->jwks_json);
  EXPECT_EQ(after->FindApi("urn:orders"), before->FindApi("urn:orders"));

  ASSERT_TRUE(f.clients->Delete(f.owner, f.dev, a.id));
  EXPECT_EQ(f.Snapshot(f.dev)->FindClient(a.client_id), nullptr);
  EXPECT_EQ(f.Snapshot(f.dev)->FindClient(b.client_id), b_entry);
  EXPECT_EQ(f.Snapshot(f.dev)->clients.size(), 1u);
}

TEST(RegistryTest, AClientGrantedAnApiTheSnapshotLacksRebuildsTheEnvironment) {
  EnvFixture f;
  auto api = f.apis->Create(f.owner, f.dev,
                            {std::string("Orders"),
                             std::string("urn:orders"),
                             std::vector<domain::Scope>{{"read", ""}},
                             {},
                             {}});
  ASSERT_TRUE(api.has_value());
  auto client = f.clients->Create(
      f.owner, f.dev,
      {std::string("A"), {}, {}, {}, std::vector<mgmt::GrantInput>{{"urn:orders", {"read"}}}});
  ASSERT_TRUE(client.has_value());
  // A registry that has not seen the API yet (its reload still to come, as with two writes
  // racing): the client's entry alone would drop the grant, so the whole environment is read.
  Registry stale(*f.store, "https://auth.test", f.sealer);
  ASSERT_TRUE(stale.LoadAll().has_value());
  ASSERT_TRUE(f.store->DeleteClient(f.dev, client->client.id).has_value());
  ASSERT_TRUE(stale.Reload(f.dev).has_value());
  domain::Api second = api->api;
  second.id = "api_second";
  second.identifier = "urn:second";
  second.credential_client_id = "rs_second";
  ASSERT_TRUE(f.store->CreateApi(second).has_value());  // committed, not reloaded
  domain::Client c = client->client;
  c.grants = {{second.id, second.identifier, {"read"}}};
  ASSERT_TRUE(f.store->CreateClient(c).has_value());
  ASSERT_TRUE(stale.ReloadClient(f.dev, c.id, c.client_id).has_value());
  const ClientEntry* entry = stale.FindById(f.dev)->FindClient(c.client_id);
  ASSERT_NE(entry, nullptr);
  ASSERT_EQ(entry->grants.size(), 1u);
  EXPECT_EQ(entry->grants[0].api->identifier, "urn:second");
  EXPECT_NE(stale.FindById(f.dev)->FindApi("urn:second"), nullptr);
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
