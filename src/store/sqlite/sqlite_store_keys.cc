#include "store/sqlite/sqlite_store.h"

namespace gatehouse::store::sqlite {
namespace {

std::optional<int64_t> OptionalMillis(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return ToMillis(*t);
}

std::optional<TimePoint> OptionalTime(const Stmt& s, int column) {
  if (auto v = s.OptionalInt(column)) return FromMillis(*v);
  return std::nullopt;
}

Status InsertKey(Db& db, const domain::SigningKey& k) {
  GH_ASSIGN_OR_RETURN(auto stmt,
                      db.Prepare("INSERT INTO signing_keys(environment_id, kid, alg, state, "
                                 "sealed_private_key, created_at, activated_at, retired_at, "
                                 "expires_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(1, k.environment_id).Bind(2, k.kid).Bind(3, k.alg).Bind(4, k.state);
  stmt.BindBlob(5, k.sealed_private_key).Bind(6, ToMillis(k.created_at));
  stmt.Bind(7, OptionalMillis(k.activated_at)).Bind(8, OptionalMillis(k.retired_at));
  stmt.Bind(9, OptionalMillis(k.expires_at));
  return stmt.Run();
}

}  // namespace

Result<std::vector<domain::SigningKey>> SqliteStore::LoadKeys(Db& db, const std::string& env_id,
                                                              TimePoint now) {
  GH_ASSIGN_OR_RETURN(auto stmt,
                      db.Prepare("SELECT kid, environment_id, alg, state, sealed_private_key, "
                                 "created_at, activated_at, retired_at, expires_at FROM "
                                 "signing_keys WHERE environment_id = ? AND (expires_at IS NULL "
                                 "OR expires_at > ?) ORDER BY created_at DESC, kid"));
  stmt.Bind(1, env_id).Bind(2, ToMillis(now));
  std::vector<domain::SigningKey> keys;
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    keys.push_back({stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Text(3), stmt.Text(4),
                    FromMillis(stmt.Int(5)), OptionalTime(stmt, 6), OptionalTime(stmt, 7),
                    OptionalTime(stmt, 8)});
  }
  return keys;
}

Result<std::vector<domain::SigningKey>> SqliteStore::ListKeys(const std::string& env_id,
                                                              TimePoint now) {
  std::lock_guard lock(db_->mutex());
  return LoadKeys(*db_, env_id, now);
}

Status SqliteStore::AddKeyPair(const domain::SigningKey& current, const domain::SigningKey& next) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  GH_RETURN_IF_ERROR(InsertKey(*db_, current));
  GH_RETURN_IF_ERROR(InsertKey(*db_, next));
  return tx.Commit();
}

Status SqliteStore::RotateKeys(const std::string& env_id, const std::string& alg,
                               const domain::SigningKey& new_next, TimePoint now,
                               TimePoint previous_expires_at) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  GH_RETURN_IF_ERROR(tx.Begin());
  const int64_t now_ms = ToMillis(now);
  GH_ASSIGN_OR_RETURN(auto has_next, db_->Prepare("SELECT 1 FROM signing_keys WHERE "
                                                  "environment_id = ? AND alg = ? AND state = "
                                                  "'next'"));
  has_next.Bind(1, env_id).Bind(2, alg);
  GH_ASSIGN_OR_RETURN(bool found, has_next.Step());
  if (!found) return Fail(Error::NotFound("no " + alg + " keys in this environment"));
  GH_ASSIGN_OR_RETURN(auto purge, db_->Prepare("DELETE FROM signing_keys WHERE environment_id "
                                               "= ? AND state = 'previous' AND expires_at <= ?"));
  purge.Bind(1, env_id).Bind(2, now_ms);
  GH_RETURN_IF_ERROR(purge.Run());
  GH_ASSIGN_OR_RETURN(auto retire, db_->Prepare("UPDATE signing_keys SET state = 'previous', "
                                                "retired_at = ?, expires_at = ? WHERE "
                                                "environment_id = ? AND alg = ? AND state = "
                                                "'current'"));
  retire.Bind(1, now_ms).Bind(2, ToMillis(previous_expires_at)).Bind(3, env_id).Bind(4, alg);
  GH_RETURN_IF_ERROR(retire.Run());
  GH_ASSIGN_OR_RETURN(auto promote, db_->Prepare("UPDATE signing_keys SET state = 'current', "
                                                 "activated_at = ? WHERE environment_id = ? AND "
                                                 "alg = ? AND state = 'next'"));
  promote.Bind(1, now_ms).Bind(2, env_id).Bind(3, alg);
  GH_RETURN_IF_ERROR(promote.Run());
  GH_RETURN_IF_ERROR(InsertKey(*db_, new_next));
  return tx.Commit();
}

Status SqliteStore::RevokeToken(const domain::RevokedToken& token) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("INSERT OR IGNORE INTO revoked_tokens("
                                              "environment_id, jti, expires_at) VALUES(?, ?, ?)"));
  stmt.Bind(1, token.environment_id).Bind(2, token.jti).Bind(3, ToMillis(token.expires_at));
  return stmt.Run();
}

Result<std::vector<domain::RevokedToken>> SqliteStore::ListRevokedTokens(TimePoint now) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto purge, db_->Prepare("DELETE FROM revoked_tokens WHERE expires_at <= ?"));
  purge.Bind(1, ToMillis(now));
  GH_RETURN_IF_ERROR(purge.Run());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("SELECT environment_id, jti, expires_at FROM "
                                              "revoked_tokens"));
  std::vector<domain::RevokedToken> out;
  for (;;) {
    GH_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.Text(0), stmt.Text(1), FromMillis(stmt.Int(2))});
  }
  return out;
}

}  // namespace gatehouse::store::sqlite
