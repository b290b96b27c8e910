#include <algorithm>

#include "store/sqlite/sqlite_store.h"

namespace gatehouse::store::sqlite {
namespace {

constexpr const char* kApiColumns =
    "seq, id, environment_id, name, identifier, token_lifetime, signing_alg, "
    "credential_client_id, credential_secret_hash, created_at FROM apis";

domain::Api ReadApi(const Stmt& s) {
  domain::Api api;
  api.seq = s.Int(0);
  api.id = s.Text(1);
  api.environment_id = s.Text(2);
  api.name = s.Text(3);
  api.identifier = s.Text(4);
  api.token_lifetime = static_cast<int>(s.Int(5));
  api.signing_alg = s.Text(6);
  api.credential_client_id = s.Text(7);
  api.credential_secret_hash = s.Text(8);
  api.created_at = FromMillis(s.Int(9));
  return api;
}

Error IdentifierTaken(const std::string& identifier) {
  return Error::Conflict("identifier: an API with identifier \"" + identifier +
                             "\" already exists in this environment",
                         "identifier");
}

}  // namespace

std::vector<std::string> SplitScopes(std::string_view joined) {
  std::vector<std::string> out;
  for (std::size_t pos = 0; pos < joined.size();) {
    std::size_t end = std::min(joined.find(' ', pos), joined.size());
    if (end > pos) out.emplace_back(joined.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

Result<std::vector<domain::Scope>> SqliteStore::LoadScopes(Db& db, const std::string& api_id) {
  GH_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT name, description FROM api_scopes WHERE "
                                            "api_id = ? ORDER BY position"));
  stmt.Bind(1, api_id);
  std::vector<domain::Scope> scopes;
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    scopes.push_back({stmt.Text(0), stmt.Text(1)});
  }
  return scopes;
}

Status SqliteStore::WriteScopes(const domain::Api& api) {
  GH_ASSIGN_OR_RETURN(auto clear, db_->Prepare("DELETE FROM api_scopes WHERE api_id = ?"));
  clear.Bind(1, api.id);
  GH_RETURN_IF_ERROR(clear.Run());
  for (std::size_t i = 0; i < api.scopes.size(); ++i) {
    GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("INSERT INTO api_scopes(api_id, position, name, "
                                                "description) VALUES(?, ?, ?, ?)"));
    stmt.Bind(1, api.id).Bind(2, static_cast<int64_t>(i)).Bind(3, api.scopes[i].name);
    stmt.Bind(4, api.scopes[i].description);
    GH_RETURN_IF_ERROR(stmt.Run());
  }
  return {};
}

Result<domain::Api> SqliteStore::LoadApi(Db& db, const std::string& env_id, const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto stmt, db.Prepare(std::string("SELECT ") + kApiColumns +
                                            " WHERE id = ? AND environment_id = ?"));
  stmt.Bind(1, id).Bind(2, env_id);
  GH_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return Fail(Error::NotFound("API not found"));
  domain::Api api = ReadApi(stmt);
  GH_ASSIGN_OR_RETURN(api.scopes, LoadScopes(db, api.id));
  return api;
}

Result<domain::Api> SqliteStore::CreateApi(const domain::Api& api) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_ASSIGN_OR_RETURN(
      auto stmt, db_->Prepare("INSERT INTO apis(id, environment_id, name, identifier, "
                              "token_lifetime, signing_alg, credential_client_id, "
                              "credential_secret_hash, created_at) VALUES(?,?,?,?,?,?,?,?,?)"));
  stmt.Bind(1, api.id).Bind(2, api.environment_id).Bind(3, api.name).Bind(4, api.identifier);
  stmt.Bind(5, int64_t{api.token_lifetime}).Bind(6, api.signing_alg);
  stmt.Bind(7, api.credential_client_id).BindBlob(8, api.credential_secret_hash);
  stmt.Bind(9, ToMillis(api.created_at));
  if (auto s = stmt.Run(); !s) {
    if (s.error().kind == ErrorKind::kConflict) return Fail(IdentifierTaken(api.identifier));
    return Fail(std::move(s.error()));
  }
  GH_RETURN_IF_ERROR(WriteScopes(api));
  GH_ASSIGN_OR_RETURN(auto created, LoadApi(*db_, api.environment_id, api.id));
  GH_RETURN_IF_ERROR(tx.Commit());
  return created;
}

Result<domain::Api> SqliteStore::GetApi(const std::string& env_id, const std::string& id) {
  std::lock_guard lock(db_->mutex());
  return LoadApi(*db_, env_id, id);
}

Result<Page<domain::Api>> SqliteStore::ListApis(const std::string& env_id, PageRequest page) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare(std::string("SELECT ") + kApiColumns +
                                              " WHERE environment_id = ? AND seq > ? ORDER BY "
                                              "seq LIMIT ?"));
  stmt.Bind(1, env_id).Bind(2, page.after_seq).Bind(3, int64_t{page.limit} + 1);
  GH_ASSIGN_OR_RETURN(auto out, ReadPage<domain::Api>(stmt, page.limit, ReadApi));
  for (auto& api : out.items) {
    GH_ASSIGN_OR_RETURN(api.scopes, LoadScopes(*db_, api.id));
  }
  return out;
}

Result<domain::Api> SqliteStore::UpdateApi(const domain::Api& api) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("UPDATE apis SET name = ?, token_lifetime = ?, "
                                              "signing_alg = ? WHERE id = ? AND "
                                              "environment_id = ?"));
  stmt.Bind(1, api.name).Bind(2, int64_t{api.token_lifetime}).Bind(3, api.signing_alg);
  stmt.Bind(4, api.id).Bind(5, api.environment_id);
  GH_RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(db_->raw()) == 0) return Fail(Error::NotFound("API not found"));
  GH_RETURN_IF_ERROR(WriteScopes(api));

  // Grants keep only the scopes the API still has.
  GH_ASSIGN_OR_RETURN(auto grants, db_->Prepare("SELECT client_id, scopes FROM client_grants "
                                                "WHERE api_id = ?"));
  grants.Bind(1, api.id);
  std::vector<std::pair<std::string, std::string>> rewritten;
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, grants.Step());
    if (!row) break;
    std::vector<std::string> kept;
    for (auto& s : SplitScopes(grants.Text(1))) {
      if (api.HasScope(s)) kept.push_back(std::move(s));
    }
    rewritten.emplace_back(grants.Text(0), JoinScopes(kept));
  }
  for (const auto& [client_id, scopes] : rewritten) {
    GH_ASSIGN_OR_RETURN(auto upd, db_->Prepare("UPDATE client_grants SET scopes = ? WHERE "
                                               "client_id = ? AND api_id = ?"));
    upd.Bind(1, scopes).Bind(2, client_id).Bind(3, api.id);
    GH_RETURN_IF_ERROR(upd.Run());
  }
  GH_ASSIGN_OR_RETURN(auto updated, LoadApi(*db_, api.environment_id, api.id));
  GH_RETURN_IF_ERROR(tx.Commit());
  return updated;
}

Status SqliteStore::DeleteApi(const std::string& env_id, const std::string& id) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("DELETE FROM apis WHERE id = ? AND "
                                              "environment_id = ?"));
  stmt.Bind(1, id).Bind(2, env_id);
  GH_RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(db_->raw()) == 0) return Fail(Error::NotFound("API not found"));
  return {};
}

}  // namespace gatehouse::store::sqlite
