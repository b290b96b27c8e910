// The shared suite every Store implementation must pass (SQLite today, PostgreSQL later).
#include "store/store.h"

#include <gtest/gtest.h>

#include <future>

#include "store/sqlite/sqlite_store.h"
#include "testing/fakes.h"

namespace gatehouse::store {
namespace {

using test::TempDir;

struct SqliteFactory {
  std::unique_ptr<Store> Make(const TempDir& dir) {
    auto store = sqlite::SqliteStore::Open(dir.path() + "/test.db");
    EXPECT_TRUE(store.has_value());
    return std::move(*store);
  }
};

template <typename Factory>
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = Factory().Make(dir_); }

  domain::Account MakeAccount(const std::string& id, const std::string& email) {
    domain::Account a{id, email, "$argon2id$fake", now_};
    EXPECT_TRUE(store_->CreateAccount(a).has_value());
    return a;
  }
  domain::Project MakeProject(const std::string& owner, const std::string& id,
                              const std::string& slug) {
    domain::Project p;
    p.id = id;
    p.owner_id = owner;
    p.name = "Project " + id;
    p.slug = slug;
    p.created_at = now_;
    p.environments.push_back({id + "-dev", id, "development", "development", now_});
    p.environments.push_back({id + "-prod", id, "production", "production", now_});
    auto created = store_->CreateProject(p);
    EXPECT_TRUE(created.has_value()) << (created ? "" : created.error().detail);
    return *created;
  }
  domain::Api MakeApi(const std::string& env, const std::string& id,
                      const std::string& identifier) {
    domain::Api api;
    api.id = id;
    api.environment_id = env;
    api.name = "Orders";
    api.identifier = identifier;
    api.scopes = {{"read:orders", "Read"}, {"write:orders", "Write"}};
    api.credential_client_id = "rs_" + id;
    api.credential_secret_hash = std::string(32, 'h');
    api.created_at = now_;
    auto created = store_->CreateApi(api);
    EXPECT_TRUE(created.has_value()) << (created ? "" : created.error().detail);
    return *created;
  }
  domain::Client MakeClient(const std::string& env, const std::string& id, const domain::Api& api) {
    domain::Client c;
    c.id = id;
    c.environment_id = env;
    c.client_id = "ci_" + id;
    c.name = "Client " + id;
    c.grants = {{api.id, api.identifier, {"read:orders"}}};
    c.secrets = {{0, std::string(32, 's'), now_, {}}};
    c.created_at = now_;
    auto created = store_->CreateClient(c);
    EXPECT_TRUE(created.has_value()) << (created ? "" : created.error().detail);
    return *created;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  TimePoint now_ = FromUnixSeconds(1'800'000'000);
};

using Factories = ::testing::Types<SqliteFactory>;
TYPED_TEST_SUITE(StoreTest, Factories);

TYPED_TEST(StoreTest, AccountEmailIsUnique) {
  this->MakeAccount("acc_1", "a@example.test");
  auto dup = this->store_->CreateAccount({"acc_2", "a@example.test", "x", this->now_});
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(dup.error().field, "email");
  EXPECT_EQ(this->store_->FindAccountByEmail("a@example.test")->id, "acc_1");
}

TYPED_TEST(StoreTest, SessionsExpire) {
  this->MakeAccount("acc_1", "a@example.test");
  ASSERT_TRUE(this->store_->CreateSession({"acc_1", "hash", this->now_ + std::chrono::hours(1)}));
  EXPECT_TRUE(this->store_->FindSession("hash", this->now_).has_value());
  EXPECT_FALSE(this->store_->FindSession("hash", this->now_ + std::chrono::hours(2)).has_value());
  ASSERT_TRUE(this->store_->DeleteSession("hash"));
  EXPECT_FALSE(this->store_->FindSession("hash", this->now_).has_value());
}

TYPED_TEST(StoreTest, ProjectsBelongToTheirOwner) {
  this->MakeAccount("acc_1", "a@example.test");
  this->MakeAccount("acc_2", "b@example.test");
  auto p = this->MakeProject("acc_1", "prj_1", "shop");
  EXPECT_EQ(p.environments.size(), 2u);
  EXPECT_TRUE(this->store_->GetProject("acc_1", "prj_1").has_value());
  auto other = this->store_->GetProject("acc_2", "prj_1");
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().kind, ErrorKind::kNotFound);
  EXPECT_FALSE(this->store_->GetEnvironment("acc_2", "prj_1-dev").has_value());
  EXPECT_FALSE(this->store_->DeleteProject("acc_2", "prj_1").has_value());
  EXPECT_TRUE(this->store_->ListProjects("acc_2", {})->items.empty());
}

TYPED_TEST(StoreTest, ProjectSlugIsGloballyUnique) {
  this->MakeAccount("acc_1", "a@example.test");
  this->MakeProject("acc_1", "prj_1", "shop");
  domain::Project p;
  p.id = "prj_2";
  p.owner_id = "acc_1";
  p.name = "Shop";
  p.slug = "shop";
  auto dup = this->store_->CreateProject(p);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().field, "slug");
}

TYPED_TEST(StoreTest, PagingIsKeysetOrdered) {
  this->MakeAccount("acc_1", "a@example.test");
  for (int i = 0; i < 5; ++i) {
    this->MakeProject("acc_1", "prj_" + std::to_string(i), "s" + std::to_string(i));
  }
  auto first = this->store_->ListProjects("acc_1", {2, 0});
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->items.size(), 2u);
  ASSERT_TRUE(first->next_after_seq.has_value());
  auto rest = this->store_->ListProjects("acc_1", {10, *first->next_after_seq});
  ASSERT_EQ(rest->items.size(), 3u);
  EXPECT_FALSE(rest->next_after_seq.has_value());
  EXPECT_EQ(rest->items.front().id, "prj_2");
}

TYPED_TEST(StoreTest, EnvironmentsNeverShareRows) {
  this->MakeAccount("acc_1", "a@example.test");
  this->MakeProject("acc_1", "prj_1", "shop");
  auto api = this->MakeApi("prj_1-dev", "api_1", "https://orders.test");
  // The same identifier is fine in another environment.
  auto prod_api = this->MakeApi("prj_1-prod", "api_2", "https://orders.test");
  auto client = this->MakeClient("prj_1-dev", "cli_1", api);
  EXPECT_FALSE(this->store_->GetApi("prj_1-prod", "api_1").has_value());
  EXPECT_FALSE(this->store_->GetClient("prj_1-prod", "cli_1").has_value());
  EXPECT_FALSE(this->store_->DeleteClient("prj_1-prod", "cli_1").has_value());
  EXPECT_TRUE(this->store_->ListClients("prj_1-prod", {})->items.empty());
  // A grant cannot point at an API of another environment.
  domain::Client cross = client;
  cross.id = "cli_2";
  cross.client_id = "ci_cli_2";
  cross.grants = {{prod_api.id, prod_api.identifier, {"read:orders"}}};
  auto refused = this->store_->CreateClient(cross);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().field, "grants");
  auto dev = this->store_->LoadEnvironmentConfig("prj_1-dev");
  auto prod = this->store_->LoadEnvironmentConfig("prj_1-prod");
  EXPECT_EQ(dev->apis.size(), 1u);
  EXPECT_EQ(dev->clients.size(), 1u);
  EXPECT_EQ(prod->apis.size(), 1u);
  EXPECT_TRUE(prod->clients.empty());
}

TYPED_TEST(StoreTest, EnvironmentConfigGivesEveryClientItsOwnGrantsAndSecretsInOrder) {
  this->MakeAccount("acc_1", "a@example.test");
  this->MakeProject("acc_1", "prj_1", "shop");
  auto orders = this->MakeApi("prj_1-dev", "api_1", "https://orders.test");
  auto ledger = this->MakeApi("prj_1-dev", "api_2", "https://ledger.test");
  auto prod_api = this->MakeApi("prj_1-prod", "api_3", "https://orders.test");
  // Clients of both environments interleaved, with zero, one and two grants and secrets.
  auto a = this->MakeClient("prj_1-dev", "cli_a", orders);
  this->MakeClient("prj_1-prod", "cli_p", prod_api);
  domain::Client b = a;
  b.id = "cli_b";
  b.client_id = "ci_cli_b";
  b.grants = {};
  ASSERT_TRUE(this->store_->CreateClient(b).has_value());
  domain::Client c = a;
  c.id = "cli_c";
  c.client_id = "ci_cli_c";
  c.grants = {{ledger.id, ledger.identifier, {"write:orders", "read:orders"}},
              {orders.id, orders.identifier, {}}};
  ASSERT_TRUE(this->store_->CreateClient(c).has_value());
  ASSERT_TRUE(
      this->store_
          ->RotateSecret("prj_1-dev", "cli_c", "second", this->now_, std::chrono::seconds(600))
          .has_value());
  auto dev = this->store_->LoadEnvironmentConfig("prj_1-dev");
  ASSERT_TRUE(dev.has_value()) << dev.error().detail;
  EXPECT_EQ(dev->client_count, 3u);
  ASSERT_EQ(dev->clients.size(), 3u);
  EXPECT_EQ(dev->clients[0].id, "cli_a");
  EXPECT_EQ(dev->clients[1].id, "cli_b");
  EXPECT_EQ(dev->clients[2].id, "cli_c");
  ASSERT_EQ(dev->clients[0].grants.size(), 1u);
  EXPECT_EQ(dev->clients[0].grants[0].api_identifier, "https://orders.test");
  EXPECT_EQ(dev->clients[0].grants[0].scopes, std::vector<std::string>{"read:orders"});
  EXPECT_EQ(dev->clients[0].secrets.size(), 1u);
  EXPECT_TRUE(dev->clients[1].grants.empty());
  EXPECT_EQ(dev->clients[1].secrets.size(), 1u);
  ASSERT_EQ(dev->clients[2].grants.size(), 2u);  // in grant order
  EXPECT_EQ(dev->clients[2].grants[0].api_identifier, "https://ledger.test");
  EXPECT_EQ(dev->clients[2].grants[0].scopes,
            (std::vector<std::string>{"write:orders", "read:orders"}));
  EXPECT_EQ(dev->clients[2].grants[1].api_id, "api_1");
  EXPECT_TRUE(dev->clients[2].grants[1].scopes.empty());
  ASSERT_EQ(dev->clients[2].secrets.size(), 2u);
  EXPECT_EQ(dev->clients[2].secrets[1].hash, "second");

  // A visitor's error stops the visit and is what the store returns.
  struct StopAtSecond final : EnvironmentConfigVisitor {
    int seen = 0;
    Status Config(EnvironmentConfig) override { return {}; }
    Status Client(domain::Client) override {
      if (++seen == 2) return Fail(Error::Server("enough"));
      return {};
    }
  } stop;
  auto visited = this->store_->VisitEnvironmentConfig("prj_1-dev", stop);
  ASSERT_FALSE(visited.has_value());
  EXPECT_EQ(visited.error().detail, "enough");
  EXPECT_EQ(stop.seen, 2);
  EXPECT_EQ(this->store_->VisitEnvironmentConfig("prj_1-nope", stop).error().kind,
            ErrorKind::kNotFound);
}

TYPED_TEST(StoreTest, WritesGoOnWhileAnEnvironmentIsBeingRead) {
  // A rebuild of a big environment takes seconds: writes (the audit trail's above all) must
  // not wait for it.
  this->MakeAccount("acc_1", "a@example.test");
  this->MakeProject("acc_1", "prj_1", "shop");
  auto api = this->MakeApi("prj_1-dev", "api_1", "https://orders.test");
  this->MakeClient("prj_1-dev", "cli_1", api);
  struct WriteWhileVisiting final : EnvironmentConfigVisitor {
    Store* store = nullptr;
    bool written_meanwhile = false;
    Status Config(EnvironmentConfig) override { return {}; }
    std::future<bool> write;  // kept past the visit: were it stuck, it ends after the visit
    Status Client(domain::Client) override {
      write = std::async(std::launch::async, [this] {
        domain::AuditEvent e;
        e.type = "token.issued";
        e.environment_id = "prj_1-dev";
        e.at = FromUnixSeconds(1'800'000'000);
        return store->AppendAuditEvents({e}).has_value();
      });
      written_meanwhile = write.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
      return {};
    }
  } visitor;
  visitor.store = this->store_.get();
  ASSERT_TRUE(this->store_->VisitEnvironmentConfig("prj_1-dev", visitor).has_value());
  EXPECT_TRUE(visitor.written_meanwhile);
  EXPECT_TRUE(visitor.write.get());
  domain::AuditFilter filter;
  filter.environment_id = "prj_1-dev";
  EXPECT_EQ(this->store_->ListAuditEvents(filter, {10, 0})->items.size(), 1u);
}

TYPED_TEST(StoreTest, DuplicateIdentifierInOneEnvironmentConflicts) {
  this->MakeAccount("acc_1", "a@example.test");
  this->MakeProject("acc_1", "prj_1", "shop");
  this->MakeApi("prj_1-dev", "api_1", "https://orders.test");
  domain::Api dup;
  dup.id = "api_2";
  dup.environment_id = "prj_1-dev";
  dup.identifier = "https://orders.test";
  dup.credential_client_id = "rs_2";
  auto result = this->store_->CreateApi(dup);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(result.error().field, "identifier");
}

TYPED_TEST(StoreTest, RemovingScopesPrunesGrantsAndDeletingApisRemovesThem) {
  this->MakeAccount("acc_1", "a@example.test");
  this->MakeProject("acc_1", "prj_1", "shop");
  auto api = this->MakeApi("prj_1-dev", "api_1", "https://orders.test");
  this->MakeClient("prj_1-dev", "cli_1", api);
  api.scopes = {{"write:orders", ""}};
  ASSERT_TRUE(this->store_->UpdateApi(api).has_value());
  auto client = this->store_->GetClient("prj_1-dev", "cli_1");
  ASSERT_EQ(client->grants.size(), 1u);
  EXPECT_TRUE(client->grants[0].scopes.empty());
  ASSERT_TRUE(this->store_->DeleteApi("prj_1-dev", "api_1"));
  EXPECT_TRUE(this->store_->GetClient("prj_1-dev", "cli_1")->grants.empty());
}

TYPED_TEST(StoreTest, RotationKeepsAtMostTwoValidSecrets) {
  this->MakeAccount("acc_1", "a@example.test");
  this->MakeProject("acc_1", "prj_1", "shop");
  auto api = this->MakeApi("prj_1-dev", "api_1", "https://orders.test");
  this->MakeClient("prj_1-dev", "cli_1", api);
  const auto t1 = this->now_ + std::chrono::seconds(10);
  auto c1 =
      this->store_->RotateSecret("prj_1-dev", "cli_1", "second", t1, std::chrono::seconds(600));
  ASSERT_TRUE(c1.has_value());
  ASSERT_EQ(c1->secrets.size(), 2u);
  EXPECT_EQ(c1->secrets[0].expires_at, t1 + std::chrono::seconds(600));
  EXPECT_FALSE(c1->secrets[1].expires_at.has_value());
  const auto t2 = t1 + std::chrono::seconds(10);
  auto c2 = this->store_->RotateSecret("prj_1-dev", "cli_1", "third", t2, std::chrono::seconds(0));
  int valid = 0;
  for (const auto& s : c2->secrets) valid += (!s.expires_at || *s.expires_at > t2) ? 1 : 0;
  EXPECT_EQ(valid, 1);
  EXPECT_EQ(c2->secrets.back().hash, "third");
}

TYPED_TEST(StoreTest, DeletingAProjectRemovesEverythingUnderIt) {
  this->MakeAccount("acc_1", "a@example.test");
  this->MakeProject("acc_1", "prj_1", "shop");
  auto api = this->MakeApi("prj_1-dev", "api_1", "https://orders.test");
  this->MakeClient("prj_1-dev", "cli_1", api);
  auto envs = this->store_->DeleteProject("acc_1", "prj_1");
  ASSERT_TRUE(envs.has_value());
  EXPECT_EQ(envs->size(), 2u);
  EXPECT_FALSE(this->store_->LoadEnvironmentConfig("prj_1-dev").has_value());
  EXPECT_FALSE(this->store_->GetClient("prj_1-dev", "cli_1").has_value());
  EXPECT_TRUE(this->store_->ListEnvironmentIds()->empty());
}

TYPED_TEST(StoreTest, KeysRotateAndRevocationsExpire) {
  this->MakeAccount("acc_1", "a@example.test");
  this->MakeProject("acc_1", "prj_1", "shop");
  auto key = [&](const std::string& kid, const char* state) {
    domain::SigningKey k;
    k.kid = kid;
    k.environment_id = "prj_1-dev";
    k.alg = "ES256";
    k.state = state;
    k.sealed_private_key = "sealed";
    k.created_at = this->now_;
    return k;
  };
  ASSERT_TRUE(
      this->store_->AddKeyPair(key("k1", domain::kKeyCurrent), key("k2", domain::kKeyNext)));
  EXPECT_FALSE(this->store_->AddKeyPair(key("k3", domain::kKeyCurrent), key("k4", domain::kKeyNext))
                   .has_value());
  const auto later = this->now_ + std::chrono::hours(1);
  ASSERT_TRUE(this->store_->RotateKeys("prj_1-dev", "ES256", key("k5", domain::kKeyNext),
                                       this->now_, later));
  auto keys = this->store_->ListKeys("prj_1-dev", this->now_);
  std::map<std::string, std::string> states;
  for (const auto& k : *keys) states[k.kid] = k.state;
  EXPECT_EQ(states, (std::map<std::string, std::string>{
                        {"k1", "previous"}, {"k2", "current"}, {"k5", "next"}}));
  EXPECT_EQ(this->store_->ListKeys("prj_1-dev", later)->size(), 2u);  // k1 unpublished

  ASSERT_TRUE(this->store_->RevokeToken({"prj_1-dev", "jti-1", later}));
  EXPECT_EQ(this->store_->ListRevokedTokens(this->now_)->size(), 1u);
  EXPECT_TRUE(this->store_->ListRevokedTokens(later)->empty());
}

}  // namespace
}  // namespace gatehouse::store
