#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/model.h"
#include "domain/security.h"

namespace gatehouse::store {

// Keyset paging: items come in insertion order (`seq`), so a page boundary never moves when
// rows are inserted concurrently.
struct PageRequest {
  int limit = 50;
  int64_t after_seq = 0;  // 0: from the start
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<int64_t> next_after_seq;  // set when there may be more
};

// Every environment's full configuration, as the snapshot needs it.
struct EnvironmentConfig {
  domain::Environment environment;
  std::string project_slug;
  std::vector<domain::Api> apis;
  std::vector<domain::Client> clients;
  std::vector<domain::SigningKey> keys;  // published keys only (expired previous keys omitted)
  std::size_t client_count = 0;          // how many clients there are (or will be visited)
};

// Receives an environment's configuration piece by piece, so that a million clients are never
// held twice (as domain objects and as what the visitor builds from them).
class EnvironmentConfigVisitor {
 public:
  virtual ~EnvironmentConfigVisitor() = default;
  // First, once: everything but the clients (`config.clients` is empty).
  virtual Status Config(EnvironmentConfig config) = 0;
  // Then every client of the environment, in creation order, with its grants and secrets. An
  // error stops the visit and is returned by VisitEnvironmentConfig.
  virtual Status Client(domain::Client client) = 0;
};

// Ownership: calls that take `owner_id` answer NotFound for objects of other owners, exactly
// as for objects that do not exist. Every write is one transaction: all or nothing.
// Implementations are thread-safe.
class AccountStore {
 public:
  virtual ~AccountStore() = default;
  // Conflict (field "email") when the normalised email exists.
  virtual Result<domain::Account> CreateAccount(const domain::Account& account) = 0;
  virtual Result<domain::Account> FindAccountByEmail(const std::string& email) = 0;
  virtual Result<domain::Account> GetAccount(const std::string& id) = 0;
  virtual Status CreateSession(const domain::Session& session) = 0;
  // NotFound when unknown or expired at `now`.
  virtual Result<domain::Session> FindSession(const std::string& token_hash, TimePoint now) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;
};

class ProjectStore {
 public:
  virtual ~ProjectStore() = default;
  // Creates the project and its environments. Conflict (field "slug") when the project slug is
  // taken, so that the caller can pick another.
  virtual Result<domain::Project> CreateProject(const domain::Project& project) = 0;
  virtual Result<domain::Project> GetProject(const std::string& owner_id,
                                             const std::string& id) = 0;
  virtual Result<Page<domain::Project>> ListProjects(const std::string& owner_id,
                                                     PageRequest page) = 0;
  virtual Result<domain::Project> UpdateProject(const std::string& owner_id,
                                                const domain::Project& project) = 0;
  // Deletes the project and everything under it; returns the ids of its environments.
  virtual Result<std::vector<std::string>> DeleteProject(const std::string& owner_id,
                                                         const std::string& id) = 0;
  // Conflict (field "name") when the environment slug exists in the project.
  virtual Result<domain::Environment> CreateEnvironment(const std::string& owner_id,
                                                        const domain::Environment& env) = 0;
  virtual Result<domain::Environment> GetEnvironment(const std::string& owner_id,
                                                     const std::string& env_id) = 0;
  virtual Result<std::vector<std::string>> ListEnvironmentIds() = 0;
  // Replaces the environment's rate limit (nullopt clears it). NotFound for others' objects.
  virtual Result<domain::Environment> UpdateEnvironment(const std::string& owner_id,
                                                        const domain::Environment& env) = 0;
  // The environment's whole configuration in one consistent read. NotFound when it does not
  // exist (nothing is visited then).
  virtual Status VisitEnvironmentConfig(const std::string& env_id,
                                        EnvironmentConfigVisitor& visitor) = 0;
  // The same, collected into one EnvironmentConfig.
  Result<EnvironmentConfig> LoadEnvironmentConfig(const std::string& env_id);
};

// APIs and clients live in one environment; callers have checked the environment's owner.
class ApiStore {
 public:
  virtual ~ApiStore() = default;
  // Conflict (field "identifier") when the identifier exists in the environment.
  virtual Result<domain::Api> CreateApi(const domain::Api& api) = 0;
  virtual Result<domain::Api> GetApi(const std::string& env_id, const std::string& id) = 0;
  virtual Result<Page<domain::Api>> ListApis(const std::string& env_id, PageRequest page) = 0;
  // Replaces name, scopes, lifetime and algorithm; grants lose scopes the API no longer has.
  virtual Result<domain::Api> UpdateApi(const domain::Api& api) = 0;
  // Deletes the API and every grant of it.
  virtual Status DeleteApi(const std::string& env_id, const std::string& id) = 0;
};

class ClientStore {
 public:
  virtual ~ClientStore() = default;
  // Stores the client, its grants (resolved to API ids) and its first secret.
  virtual Result<domain::Client> CreateClient(const domain::Client& client) = 0;
  virtual Result<domain::Client> GetClient(const std::string& env_id, const std::string& id) = 0;
  virtual Result<Page<domain::Client>> ListClients(const std::string& env_id, PageRequest page) = 0;
  // Replaces name, description, auth method, enabled and grants.
  virtual Result<domain::Client> UpdateClient(const domain::Client& client) = 0;
  virtual Status DeleteClient(const std::string& env_id, const std::string& id) = 0;
  // Adds `new_hash` as the current secret. The secret that was current expires at
  // now + previous_ttl; every older one ends now (at most two valid secrets).
  virtual Result<domain::Client> RotateSecret(const std::string& env_id, const std::string& id,
                                              const std::string& new_hash, TimePoint now,
                                              std::chrono::seconds previous_ttl) = 0;
  virtual Result<domain::Client> RevokeTokens(const std::string& env_id, const std::string& id,
                                              TimePoint now) = 0;
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  // Keys of an environment that are still published at `now`, newest first.
  virtual Result<std::vector<domain::SigningKey>> ListKeys(const std::string& env_id,
                                                           TimePoint now) = 0;
  // Adds a current and a next key for an algorithm the environment does not use yet. Conflict
  // when it already has a current key for that algorithm (another writer was first).
  virtual Status AddKeyPair(const domain::SigningKey& current, const domain::SigningKey& next) = 0;
  // Rotation: next -> current, current -> previous (published until previous_expires_at),
  // previous keys expired at `now` are deleted, and `new_next` is added. NotFound when the
  // environment has no next key for the algorithm.
  virtual Status RotateKeys(const std::string& env_id, const std::string& alg,
                            const domain::SigningKey& new_next, TimePoint now,
                            TimePoint previous_expires_at) = 0;

  // Revoked token ids, kept until the token's own expiry.
  virtual Status RevokeToken(const domain::RevokedToken& token) = 0;
  // Every revocation still relevant at `now` (all environments); expired ones are purged.
  virtual Result<std::vector<domain::RevokedToken>> ListRevokedTokens(TimePoint now) = 0;
};

// The audit trail, alerts and webhooks. Audit writes come in batches from one background
// writer; reads are newest first, paged by `seq` (after_seq: strictly older than it).
class SecurityStore {
 public:
  virtual ~SecurityStore() = default;
  virtual Status AppendAuditEvents(const std::vector<domain::AuditEvent>& events) = 0;
  virtual Result<Page<domain::AuditEvent>> ListAuditEvents(const domain::AuditFilter& filter,
                                                           PageRequest page) = 0;
  // Deletes events older than `before`; returns how many.
  virtual Result<int64_t> PurgeAuditEvents(TimePoint before) = 0;

  virtual Status CreateAlert(const domain::Alert& alert) = 0;
  virtual Result<Page<domain::Alert>> ListAlerts(const std::string& env_id, PageRequest page) = 0;

  virtual Status CreateWebhook(const domain::Webhook& webhook) = 0;
  virtual Result<std::vector<domain::Webhook>> ListWebhooks(const std::string& project_id) = 0;
  virtual Result<domain::Webhook> GetWebhook(const std::string& project_id,
                                             const std::string& id) = 0;
  virtual Status DeleteWebhook(const std::string& project_id, const std::string& id) = 0;
  virtual Status CreateDelivery(const domain::WebhookDelivery& delivery) = 0;
  virtual Status UpdateDelivery(const domain::WebhookDelivery& delivery) = 0;
  // Pending deliveries due at `now`, oldest first.
  virtual Result<std::vector<domain::WebhookDelivery>> DueDeliveries(TimePoint now, int limit) = 0;
  virtual Result<Page<domain::WebhookDelivery>> ListDeliveries(const std::string& webhook_id,
                                                               PageRequest page) = 0;
};

class Store : public AccountStore,
              public SecurityStore,
              public ProjectStore,
              public ApiStore,
              public ClientStore,
              public KeyStore {
 public:
  // True when the database answers a trivial query.
  virtual bool Healthy() = 0;
};

}  // namespace gatehouse::store
