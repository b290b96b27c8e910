#pragma once

#include <memory>
#include <string>

#include "store/sqlite/db.h"
#include "store/store.h"

namespace gatehouse::store::sqlite {

// The embedded store. Thread-safe: a connection for writes and management reads, and one for
// snapshot rebuilds, each behind its Db's mutex (WAL: the reader never blocks the writer).
class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database at `path` and applies migrations.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);

  bool Healthy() override;

  Result<domain::Account> CreateAccount(const domain::Account& account) override;
  Result<domain::Account> FindAccountByEmail(const std::string& email) override;
  Result<domain::Account> GetAccount(const std::string& id) override;
  Status CreateSession(const domain::Session& session) override;
  Result<domain::Session> FindSession(const std::string& token_hash, TimePoint now) override;
  Status DeleteSession(const std::string& token_hash) override;

  Result<domain::Project> CreateProject(const domain::Project& project) override;
  Result<domain::Project> GetProject(const std::string& owner_id, const std::string& id) override;
  Result<Page<domain::Project>> ListProjects(const std::string& owner_id,
                                             PageRequest page) override;
  Result<domain::Project> UpdateProject(const std::string& owner_id,
                                        const domain::Project& project) override;
  Result<std::vector<std::string>> DeleteProject(const std::string& owner_id,
                                                 const std::string& id) override;
  Result<domain::Environment> CreateEnvironment(const std::string& owner_id,
                                                const domain::Environment& env) override;
  Result<domain::Environment> GetEnvironment(const std::string& owner_id,
                                             const std::string& env_id) override;
  Result<std::vector<std::string>> ListEnvironmentIds() override;
  Result<domain::Environment> UpdateEnvironment(const std::string& owner_id,
                                                const domain::Environment& env) override;
  Status VisitEnvironmentConfig(const std::string& env_id,
                                EnvironmentConfigVisitor& visitor) override;

  Result<domain::Api> CreateApi(const domain::Api& api) override;
  Result<domain::Api> GetApi(const std::string& env_id, const std::string& id) override;
  Result<Page<domain::Api>> ListApis(const std::string& env_id, PageRequest page) override;
  Result<domain::Api> UpdateApi(const domain::Api& api) override;
  Status DeleteApi(const std::string& env_id, const std::string& id) override;

  Result<domain::Client> CreateClient(const domain::Client& client) override;
  Result<domain::Client> GetClient(const std::string& env_id, const std::string& id) override;
  Result<Page<domain::Client>> ListClients(const std::string& env_id, PageRequest page) override;
  Result<domain::Client> UpdateClient(const domain::Client& client) override;
  Status DeleteClient(const std::string& env_id, const std::string& id) override;
  Result<domain::Client> RotateSecret(const std::string& env_id, const std::string& id,
                                      const std::string& new_hash, TimePoint now,
                                      std::chrono::seconds previous_ttl) override;
  Result<domain::Client> RevokeTokens(const std::string& env_id, const std::string& id,
                                      TimePoint now) override;

  Result<std::vector<domain::SigningKey>> ListKeys(const std::string& env_id,
                                                   TimePoint now) override;
  Status AddKeyPair(const domain::SigningKey& current, const domain::SigningKey& next) override;
  Status RotateKeys(const std::string& env_id, const std::string& alg,
                    const domain::SigningKey& new_next, TimePoint now,
                    TimePoint previous_expires_at) override;
  Status RevokeToken(const domain::RevokedToken& token) override;
  Result<std::vector<domain::RevokedToken>> ListRevokedTokens(TimePoint now) override;

  Status AppendAuditEvents(const std::vector<domain::AuditEvent>& events) override;
  Result<Page<domain::AuditEvent>> ListAuditEvents(const domain::AuditFilter& filter,
                                                   PageRequest page) override;
  Result<int64_t> PurgeAuditEvents(TimePoint before) override;
  Status CreateAlert(const domain::Alert& alert) override;
  Result<Page<domain::Alert>> ListAlerts(const std::string& env_id, PageRequest page) override;
  Status CreateWebhook(const domain::Webhook& webhook) override;
  Result<std::vector<domain::Webhook>> ListWebhooks(const std::string& project_id) override;
  Result<domain::Webhook> GetWebhook(const std::string& project_id, const std::string& id) override;
  Status DeleteWebhook(const std::string& project_id, const std::string& id) override;
  Status CreateDelivery(const domain::WebhookDelivery& delivery) override;
  Status UpdateDelivery(const domain::WebhookDelivery& delivery) override;
  Result<std::vector<domain::WebhookDelivery>> DueDeliveries(TimePoint now, int limit) override;
  Result<Page<domain::WebhookDelivery>> ListDeliveries(const std::string& webhook_id,
                                                       PageRequest page) override;

  Db& db() { return *db_; }

 private:
  SqliteStore(std::unique_ptr<Db> db, std::unique_ptr<Db> reader)
      : db_(std::move(db)), reader_(std::move(reader)) {}

  // Unlocked helpers: REQUIRE db_->mutex() held, or the mutex of the `db` they are given.
  Result<domain::Project> LoadProject(const std::string& owner_id, const std::string& id);
  Result<std::vector<domain::Environment>> LoadEnvironments(const std::string& project_id);
  Result<domain::Api> LoadApi(Db& db, const std::string& env_id, const std::string& id);
  Result<std::vector<domain::Scope>> LoadScopes(Db& db, const std::string& api_id);
  Result<domain::Client> LoadClient(const std::string& env_id, const std::string& id);
  Status VisitEnvironmentClients(Db& db, const std::string& env_id,
                                 const std::vector<domain::Api>& apis,
                                 EnvironmentConfigVisitor& visitor);
  Status FillClientDetails(domain::Client& client);
  Status WriteScopes(const domain::Api& api);
  Status WriteGrants(const domain::Client& client);
  Result<std::optional<domain::RateLimit>> LoadRateLimit(Db& db, const std::string& target_id);
  Status WriteRateLimit(const std::string& env_id, const std::string& target_id,
                        const std::optional<domain::RateLimit>& limit);
  Result<std::vector<domain::SigningKey>> LoadKeys(Db& db, const std::string& env_id,
                                                   TimePoint now);

  std::unique_ptr<Db> db_;      // every write, and the reads of the management API
  std::unique_ptr<Db> reader_;  // snapshot rebuilds (VisitEnvironmentConfig) only
};

// Reads the rows of a keyset-paged query that asked for `limit + 1` rows: the extra row only
// says that there is more, and the last kept row's seq becomes the cursor.
template <typename T, typename ReadRow>
Result<Page<T>> ReadPage(Stmt& stmt, int limit, ReadRow read_row) {
  Page<T> out;
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.items.push_back(read_row(stmt));
  }
  if (out.items.size() > static_cast<std::size_t>(limit)) {
    out.items.pop_back();
    out.next_after_seq = out.items.back().seq;
  }
  return out;
}

// Grant scopes are stored space-separated, like the OAuth scope parameter.
std::string JoinScopes(const std::vector<std::string>& scopes);
std::vector<std::string> SplitScopes(std::string_view joined);

int64_t ToMillis(TimePoint t);
TimePoint FromMillis(int64_t ms);

}  // namespace gatehouse::store::sqlite
