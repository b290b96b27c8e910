#include "store/sqlite/migrations.h"

#include <array>
#include <chrono>
#include <string_view>

namespace gatehouse::store::sqlite {
namespace {

// Append only: a released migration never changes. Times are Unix milliseconds.
constexpr std::array<std::string_view, 4> kMigrations = {
    // 1: accounts, sessions, projects, environments, APIs, clients.
    R"sql(
CREATE TABLE accounts (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
  token_hash BLOB PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE TABLE projects (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  owner_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX projects_owner ON projects(owner_id, seq);
CREATE TABLE environments (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (project_id, slug)
);
CREATE TABLE apis (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  identifier TEXT NOT NULL,
  token_lifetime INTEGER NOT NULL,
  signing_alg TEXT NOT NULL,
  credential_client_id TEXT NOT NULL UNIQUE,
  credential_secret_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (environment_id, identifier)
);
CREATE TABLE api_scopes (
  api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (api_id, name)
);
CREATE TABLE clients (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  auth_method TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  tokens_revoked_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX clients_env ON clients(environment_id, seq);
CREATE TABLE client_grants (
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  scopes TEXT NOT NULL,
  PRIMARY KEY (client_id, api_id)
);
CREATE INDEX client_grants_api ON client_grants(api_id);
CREATE TABLE client_secrets (
  seq INTEGER PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER
);
CREATE INDEX client_secrets_client ON client_secrets(client_id);
)sql",
    // 2: signing keys (private parts sealed under the master key) and revoked token ids.
    R"sql(
CREATE TABLE signing_keys (
  environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  kid TEXT NOT NULL,
  alg TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('next', 'current', 'previous')),
  sealed_private_key BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  activated_at INTEGER,
  retired_at INTEGER,
  expires_at INTEGER,
  PRIMARY KEY (environment_id, kid)
);
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys(environment_id, alg)
  WHERE state = 'current';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys(environment_id, alg)
  WHERE state = 'next';
CREATE TABLE revoked_tokens (
  environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (environment_id, jti)
);
CREATE INDEX revoked_tokens_expiry ON revoked_tokens(expires_at);
)sql",
    // 3: rate limits, audit trail, alerts, webhooks and their deliveries.
    R"sql(
CREATE TABLE rate_limits (
  target_id TEXT PRIMARY KEY,
  environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  milli_rps INTEGER NOT NULL,
  burst INTEGER NOT NULL
);
CREATE INDEX rate_limits_env ON rate_limits(environment_id);
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  project_id TEXT NOT NULL,
  environment_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  client_id TEXT NOT NULL,
  ip TEXT NOT NULL,
  request_id TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX audit_events_env ON audit_events(environment_id, seq);
CREATE INDEX audit_events_project ON audit_events(project_id, seq);
CREATE INDEX audit_events_at ON audit_events(at);
CREATE TABLE alerts (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  project_id TEXT NOT NULL,
  environment_id TEXT NOT NULL,
  type TEXT NOT NULL,
  message TEXT NOT NULL,
  detail TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX alerts_env ON alerts(environment_id, seq);
CREATE TABLE webhooks (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  sealed_secret BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX webhooks_project ON webhooks(project_id, seq);
CREATE TABLE webhook_deliveries (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  state TEXT NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_status INTEGER,
  last_error TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, seq);
)sql",
    // 4: an account's own audit trail (GET /api/v1/accounts/me/audit).
    R"sql(
CREATE INDEX audit_events_actor ON audit_events(actor, seq);
)sql",
};

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Result<int> Migrate(Db& db) {
  std::lock_guard lock(db.mutex());
  if (auto s = db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY "
                       "KEY, applied_at INTEGER NOT NULL)");
      !s) {
    return Fail(std::move(s.error()));
  }
  auto stmt = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!stmt) return Fail(std::move(stmt.error()));
  if (auto row = stmt->Step(); !row) return Fail(std::move(row.error()));
  int version = static_cast<int>(stmt->Int(0));
  if (version > LatestSchemaVersion()) {
    return Fail(Error::Server("database schema version " + std::to_string(version) +
                              " is newer than this binary (" +
                              std::to_string(LatestSchemaVersion()) + "): upgrade gatehouse"));
  }
  for (; version < LatestSchemaVersion(); ++version) {
    Transaction tx(db);
    if (auto s = tx.Begin(); !s) return Fail(std::move(s.error()));
    if (auto s = db.Exec(kMigrations[static_cast<std::size_t>(version)]); !s) {
      return Fail(std::move(s.error()));
    }
    auto record = db.Prepare("INSERT INTO schema_migrations(version, applied_at) VALUES(?, ?)");
    if (!record) return Fail(std::move(record.error()));
    record->Bind(1, int64_t{version + 1}).Bind(2, NowMillis());
    if (auto s = record->Run(); !s) return Fail(std::move(s.error()));
    if (auto s = tx.Commit(); !s) return Fail(std::move(s.error()));
  }
  return version;
}

}  // namespace gatehouse::store::sqlite
