#include <unordered_map>

#include "store/sqlite/sqlite_store.h"

namespace gatehouse::store::sqlite {
namespace {

constexpr const char* kClientColumns =
    "seq, id, environment_id, client_id, name, description, auth_method, enabled, "
    "tokens_revoked_at, created_at FROM clients";

domain::Client ReadClient(const Stmt& s) {
  domain::Client c;
  c.seq = s.Int(0);
  c.id = s.Text(1);
  c.environment_id = s.Text(2);
  c.client_id = s.Text(3);
  c.name = s.Text(4);
  c.description = s.Text(5);
  c.token_endpoint_auth_method = s.Text(6);
  c.enabled = s.Int(7) != 0;
  if (auto t = s.OptionalInt(8)) c.tokens_revoked_at = FromMillis(*t);
  c.created_at = FromMillis(s.Int(9));
  return c;
}

Status InsertSecret(Db& db, const std::string& client_row_id, const std::string& hash,
                    TimePoint now) {
  GH_ASSIGN_OR_RETURN(auto stmt, db.Prepare("INSERT INTO client_secrets(client_id, hash, "
                                            "created_at, expires_at) VALUES(?, ?, ?, NULL)"));
  stmt.Bind(1, client_row_id).BindBlob(2, hash).Bind(3, ToMillis(now));
  return stmt.Run();
}

}  // namespace

Status SqliteStore::FillClientDetails(domain::Client& client) {
  GH_ASSIGN_OR_RETURN(auto grants, db_->Prepare("SELECT g.api_id, a.identifier, g.scopes FROM "
                                                "client_grants g JOIN apis a ON a.id = g.api_id "
                                                "WHERE g.client_id = ? ORDER BY g.position"));
  grants.Bind(1, client.id);
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, grants.Step());
    if (!row) break;
    client.grants.push_back({grants.Text(0), grants.Text(1), SplitScopes(grants.Text(2))});
  }
  GH_ASSIGN_OR_RETURN(auto secrets, db_->Prepare("SELECT seq, hash, created_at, expires_at FROM "
                                                 "client_secrets WHERE client_id = ? ORDER BY "
                                                 "seq"));
  secrets.Bind(1, client.id);
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, secrets.Step());
    if (!row) break;
    domain::ClientSecret secret{secrets.Int(0), secrets.Text(1), FromMillis(secrets.Int(2)), {}};
    if (auto t = secrets.OptionalInt(3)) secret.expires_at = FromMillis(*t);
    client.secrets.push_back(std::move(secret));
  }
  GH_ASSIGN_OR_RETURN(client.rate_limit, LoadRateLimit(*db_, client.id));
  return {};
}

Status SqliteStore::WriteGrants(const domain::Client& client) {
  GH_ASSIGN_OR_RETURN(auto clear, db_->Prepare("DELETE FROM client_grants WHERE client_id = ?"));
  clear.Bind(1, client.id);
  GH_RETURN_IF_ERROR(clear.Run());
  for (std::size_t i = 0; i < client.grants.size(); ++i) {
    const auto& g = client.grants[i];
    // The API must be in the client's own environment: grants never cross environments.
    GH_ASSIGN_OR_RETURN(auto stmt,
                        db_->Prepare("INSERT INTO client_grants(client_id, api_id, position, "
                                     "scopes) SELECT ?, id, ?, ? FROM apis WHERE id = ? AND "
                                     "environment_id = ?"));
    stmt.Bind(1, client.id).Bind(2, static_cast<int64_t>(i)).Bind(3, JoinScopes(g.scopes));
    stmt.Bind(4, g.api_id).Bind(5, client.environment_id);
    GH_RETURN_IF_ERROR(stmt.Run());
    if (sqlite3_changes(db_->raw()) == 0) {
      return Fail(Error::InvalidRequest(
          "grants: API " + g.api_identifier + " is not in this environment", "grants"));
    }
  }
  return {};
}

Result<domain::Client> SqliteStore::LoadClient(const std::string& env_id, const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare(std::string("SELECT ") + kClientColumns +
                                              " WHERE id = ? AND environment_id = ?"));
  stmt.Bind(1, id).Bind(2, env_id);
  GH_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return Fail(Error::NotFound("client not found"));
  domain::Client client = ReadClient(stmt);
  GH_RETURN_IF_ERROR(FillClientDetails(client));
  return client;
}

Result<domain::Client> SqliteStore::CreateClient(const domain::Client& client) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_ASSIGN_OR_RETURN(auto stmt,
                      db_->Prepare("INSERT INTO clients(id, environment_id, client_id, name, "
                                   "description, auth_method, enabled, tokens_revoked_at, "
                                   "created_at) VALUES(?, ?, ?, ?, ?, ?, ?, NULL, ?)"));
  stmt.Bind(1, client.id).Bind(2, client.environment_id).Bind(3, client.client_id);
  stmt.Bind(4, client.name).Bind(5, client.description).Bind(6, client.token_endpoint_auth_method);
  stmt.Bind(7, int64_t{client.enabled ? 1 : 0}).Bind(8, ToMillis(client.created_at));
  GH_RETURN_IF_ERROR(stmt.Run());
  GH_RETURN_IF_ERROR(WriteGrants(client));
  GH_RETURN_IF_ERROR(WriteRateLimit(client.environment_id, client.id, client.rate_limit));
  for (const auto& secret : client.secrets) {
    GH_RETURN_IF_ERROR(InsertSecret(*db_, client.id, secret.hash, secret.created_at));
  }
  GH_ASSIGN_OR_RETURN(auto created, LoadClient(client.environment_id, client.id));
  GH_RETURN_IF_ERROR(tx.Commit());
  return created;
}

Result<domain::Client> SqliteStore::GetClient(const std::string& env_id, const std::string& id) {
  std::lock_guard lock(db_->mutex());
  return LoadClient(env_id, id);
}

Result<Page<domain::Client>> SqliteStore::ListClients(const std::string& env_id, PageRequest page) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare(std::string("SELECT ") + kClientColumns +
                                              " WHERE environment_id = ? AND seq > ? ORDER BY "
                                              "seq LIMIT ?"));
  stmt.Bind(1, env_id).Bind(2, page.after_seq).Bind(3, int64_t{page.limit} + 1);
  GH_ASSIGN_OR_RETURN(auto out, ReadPage<domain::Client>(stmt, page.limit, ReadClient));
  for (auto& c : out.items) GH_RETURN_IF_ERROR(FillClientDetails(c));
  return out;
}

Result<domain::Client> SqliteStore::UpdateClient(const domain::Client& client) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("UPDATE clients SET name = ?, description = ?, "
                                              "auth_method = ?, enabled = ? WHERE id = ? AND "
                                              "environment_id = ?"));
  stmt.Bind(1, client.name).Bind(2, client.description).Bind(3, client.token_endpoint_auth_method);
  stmt.Bind(4, int64_t{client.enabled ? 1 : 0}).Bind(5, client.id).Bind(6, client.environment_id);
  GH_RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(db_->raw()) == 0) return Fail(Error::NotFound("client not found"));
  GH_RETURN_IF_ERROR(WriteGrants(client));
  GH_RETURN_IF_ERROR(WriteRateLimit(client.environment_id, client.id, client.rate_limit));
  GH_ASSIGN_OR_RETURN(auto updated, LoadClient(client.environment_id, client.id));
  GH_RETURN_IF_ERROR(tx.Commit());
  return updated;
}

Status SqliteStore::DeleteClient(const std::string& env_id, const std::string& id) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("DELETE FROM clients WHERE id = ? AND "
                                              "environment_id = ?"));
  stmt.Bind(1, id).Bind(2, env_id);
  GH_RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(db_->raw()) == 0) return Fail(Error::NotFound("client not found"));
  return WriteRateLimit(env_id, id, std::nullopt);
}

Result<domain::Client> SqliteStore::RotateSecret(const std::string& env_id, const std::string& id,
                                                 const std::string& new_hash, TimePoint now,
                                                 std::chrono::seconds previous_ttl) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_RETURN_IF_ERROR(LoadClient(env_id, id));
  const int64_t now_ms = ToMillis(now);
  // Older secrets still in their grace period end now; the current one gets the new grace.
  GH_ASSIGN_OR_RETURN(auto end_old, db_->Prepare("UPDATE client_secrets SET expires_at = ? WHERE "
                                                 "client_id = ? AND expires_at IS NOT NULL AND "
                                                 "expires_at > ?"));
  end_old.Bind(1, now_ms).Bind(2, id).Bind(3, now_ms);
  GH_RETURN_IF_ERROR(end_old.Run());
  GH_ASSIGN_OR_RETURN(auto demote, db_->Prepare("UPDATE client_secrets SET expires_at = ? WHERE "
                                                "client_id = ? AND expires_at IS NULL"));
  demote.Bind(1, now_ms + previous_ttl.count() * 1000).Bind(2, id);
  GH_RETURN_IF_ERROR(demote.Run());
  // Expired secrets are of no use to anyone: drop them.
  GH_ASSIGN_OR_RETURN(auto purge, db_->Prepare("DELETE FROM client_secrets WHERE client_id = ? "
                                               "AND expires_at IS NOT NULL AND expires_at <= ?"));
  purge.Bind(1, id).Bind(2, now_ms);
  GH_RETURN_IF_ERROR(purge.Run());
  GH_RETURN_IF_ERROR(InsertSecret(*db_, id, new_hash, now));
  GH_ASSIGN_OR_RETURN(auto client, LoadClient(env_id, id));
  GH_RETURN_IF_ERROR(tx.Commit());
  return client;
}

Result<domain::Client> SqliteStore::RevokeTokens(const std::string& env_id, const std::string& id,
                                                 TimePoint now) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("UPDATE clients SET tokens_revoked_at = ? WHERE "
                                              "id = ? AND environment_id = ?"));
  stmt.Bind(1, ToMillis(now)).Bind(2, id).Bind(3, env_id);
  GH_RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(db_->raw()) == 0) return Fail(Error::NotFound("client not found"));
  GH_ASSIGN_OR_RETURN(auto client, LoadClient(env_id, id));
  GH_RETURN_IF_ERROR(tx.Commit());
  return client;
}

// Every client of an environment with its grants, secrets and rate limit in four queries (not
// three per client): start-up with a million clients reads them in seconds. Three scans in the
// clients' order (clients; their grants; their secrets), merged by the
// client's seq: one pass, and every client handed over whole as soon as it is complete.
Status SqliteStore::VisitEnvironmentClients(Db& db, const std::string& env_id,
                                            const std::vector<domain::Api>& apis,
                                            EnvironmentConfigVisitor& visitor) {
  std::unordered_map<std::string_view, std::string_view> identifiers;  // api id -> identifier
  for (const auto& api : apis) identifiers.emplace(api.id, api.identifier);
  GH_ASSIGN_OR_RETURN(auto limits, db.Prepare("SELECT target_id, milli_rps, burst FROM "
                                              "rate_limits WHERE environment_id = ?"));
  limits.Bind(1, env_id);
  std::unordered_map<std::string, domain::RateLimit> by_target;
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, limits.Step());
    if (!row) break;
    by_target.emplace(limits.Text(0), domain::RateLimit{static_cast<double>(limits.Int(1)) / 1000.0,
                                                        limits.Int(2)});
  }

  GH_ASSIGN_OR_RETURN(auto clients, db.Prepare(std::string("SELECT ") + kClientColumns +
                                               " WHERE environment_id = ? ORDER BY seq"));
  GH_ASSIGN_OR_RETURN(auto grants,
                      db.Prepare("SELECT c.seq, g.api_id, g.scopes FROM clients c JOIN "
                                 "client_grants g ON g.client_id = c.id WHERE c.environment_id = ? "
                                 "ORDER BY c.seq, g.position"));
  GH_ASSIGN_OR_RETURN(auto secrets,
                      db.Prepare("SELECT c.seq, s.seq, s.hash, s.created_at, s.expires_at FROM "
                                 "clients c JOIN client_secrets s ON s.client_id = c.id "
                                 "WHERE c.environment_id = ? ORDER BY c.seq, s.seq"));
  clients.Bind(1, env_id);
  grants.Bind(1, env_id);
  secrets.Bind(1, env_id);
  GH_ASSIGN_OR_RETURN(bool grant_row, grants.Step());
  GH_ASSIGN_OR_RETURN(bool secret_row, secrets.Step());
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, clients.Step());
    if (!row) break;
    domain::Client client = ReadClient(clients);
    // The three scans see one snapshot of the database (one read transaction): a grant or
    // secret row before its client's would be a broken order, not a race.
    if ((grant_row && grants.Int(0) < client.seq) || (secret_row && secrets.Int(0) < client.seq)) {
      return Fail(Error::Server("client grants or secrets out of order"));
    }
    for (; grant_row && grants.Int(0) == client.seq;) {
      std::string api_id = grants.Text(1);
      auto identifier = identifiers.find(api_id);
      if (identifier != identifiers.end()) {
        client.grants.push_back(
            {std::move(api_id), std::string(identifier->second), SplitScopes(grants.Text(2))});
      }
      GH_ASSIGN_OR_RETURN(grant_row, grants.Step());
    }
    for (; secret_row && secrets.Int(0) == client.seq;) {
      domain::ClientSecret secret{secrets.Int(1), secrets.Text(2), FromMillis(secrets.Int(3)), {}};
      if (auto t = secrets.OptionalInt(4)) secret.expires_at = FromMillis(*t);
      client.secrets.push_back(std::move(secret));
      GH_ASSIGN_OR_RETURN(secret_row, secrets.Step());
    }
    if (auto it = by_target.find(client.id); it != by_target.end()) client.rate_limit = it->second;
    GH_RETURN_IF_ERROR(visitor.Client(std::move(client)));
  }
  return {};
}

Status SqliteStore::VisitEnvironmentConfig(const std::string& env_id,
                                           EnvironmentConfigVisitor& visitor) {
  // The reader connection: a rebuild (seconds with a million clients) never holds up the
  // writes of the main connection, the audit trail's included; WAL gives it one snapshot.
  Db& db = *reader_;
  std::lock_guard lock(db.mutex());
  // One read transaction: the configuration and every client are of the same moment.
  GH_RETURN_IF_ERROR(db.Exec("BEGIN"));
  struct EndRead {
    Db& db;
    ~EndRead() { (void)db.Exec("COMMIT"); }
  } end_read{db};
  GH_ASSIGN_OR_RETURN(auto env_stmt,
                      db.Prepare("SELECT e.id, e.project_id, e.name, e.slug, e.created_at, "
                                 "p.slug FROM environments e JOIN projects p ON p.id = "
                                 "e.project_id WHERE e.id = ?"));
  env_stmt.Bind(1, env_id);
  GH_ASSIGN_OR_RETURN(bool found, env_stmt.Step());
  if (!found) return Fail(Error::NotFound("environment not found"));
  EnvironmentConfig config;
  config.environment = {env_stmt.Text(0),
                        env_stmt.Text(1),
                        env_stmt.Text(2),
                        env_stmt.Text(3),
                        FromMillis(env_stmt.Int(4)),
                        std::nullopt};
  config.project_slug = env_stmt.Text(5);
  GH_ASSIGN_OR_RETURN(config.environment.rate_limit, LoadRateLimit(db, env_id));

  GH_ASSIGN_OR_RETURN(auto apis, db.Prepare("SELECT id FROM apis WHERE environment_id = ? "
                                            "ORDER BY seq"));
  apis.Bind(1, env_id);
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, apis.Step());
    if (!row) break;
    GH_ASSIGN_OR_RETURN(auto api, LoadApi(db, env_id, apis.Text(0)));
    config.apis.push_back(std::move(api));
  }
  GH_ASSIGN_OR_RETURN(config.keys, LoadKeys(db, env_id, std::chrono::system_clock::now()));
  GH_ASSIGN_OR_RETURN(auto count,
                      db.Prepare("SELECT count(*) FROM clients WHERE environment_id = ?"));
  count.Bind(1, env_id);
  GH_ASSIGN_OR_RETURN(bool counted, count.Step());
  config.client_count = counted ? static_cast<std::size_t>(count.Int(0)) : 0;
  std::vector<domain::Api> api_list = config.apis;  // the visitor takes the config
  GH_RETURN_IF_ERROR(visitor.Config(std::move(config)));
  return VisitEnvironmentClients(db, env_id, api_list, visitor);
}

}  // namespace gatehouse::store::sqlite
