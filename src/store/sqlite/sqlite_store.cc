#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/migrations.h"

namespace gatehouse::store::sqlite {

int64_t ToMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint FromMillis(int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  GH_ASSIGN_OR_RETURN(auto db, Db::Open(path));
  GH_RETURN_IF_ERROR(Migrate(*db));
  GH_ASSIGN_OR_RETURN(auto reader, Db::Open(path));
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db), std::move(reader)));
}

bool SqliteStore::Healthy() {
  std::lock_guard lock(db_->mutex());
  auto stmt = db_->Prepare("SELECT 1");
  return stmt && stmt->Step().value_or(false);
}

// ---- accounts and sessions ----

namespace {

domain::Account ReadAccount(const Stmt& s) {
  return domain::Account{s.Text(0), s.Text(1), s.Text(2), FromMillis(s.Int(3))};
}

}  // namespace

Result<domain::Account> SqliteStore::CreateAccount(const domain::Account& account) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("INSERT INTO accounts(id, email, password_hash, "
                                              "created_at) VALUES(?, ?, ?, ?)"));
  stmt.Bind(1, account.id).Bind(2, account.email).Bind(3, account.password_hash);
  stmt.Bind(4, ToMillis(account.created_at));
  if (auto s = stmt.Run(); !s) {
    if (s.error().kind == ErrorKind::kConflict) {
      return Fail(Error::Conflict("email: an account with this email already exists", "email"));
    }
    return Fail(std::move(s.error()));
  }
  return account;
}

Result<domain::Account> SqliteStore::FindAccountByEmail(const std::string& email) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("SELECT id, email, password_hash, created_at FROM "
                                              "accounts WHERE email = ?"));
  stmt.Bind(1, email);
  GH_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return Fail(Error::NotFound("account not found"));
  return ReadAccount(stmt);
}

Result<domain::Account> SqliteStore::GetAccount(const std::string& id) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("SELECT id, email, password_hash, created_at FROM "
                                              "accounts WHERE id = ?"));
  stmt.Bind(1, id);
  GH_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return Fail(Error::NotFound("account not found"));
  return ReadAccount(stmt);
}

Status SqliteStore::CreateSession(const domain::Session& session) {
  std::lock_guard lock(db_->mutex());
  // Expired sessions are swept on the way in, so the table never grows without bound.
  GH_ASSIGN_OR_RETURN(auto sweep, db_->Prepare("DELETE FROM sessions WHERE expires_at <= ?"));
  sweep.Bind(1, ToMillis(std::chrono::system_clock::now()));
  GH_RETURN_IF_ERROR(sweep.Run());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("INSERT INTO sessions(token_hash, account_id, "
                                              "expires_at) VALUES(?, ?, ?)"));
  stmt.BindBlob(1, session.token_hash).Bind(2, session.account_id);
  stmt.Bind(3, ToMillis(session.expires_at));
  return stmt.Run();
}

Result<domain::Session> SqliteStore::FindSession(const std::string& token_hash, TimePoint now) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("SELECT account_id, expires_at FROM sessions "
                                              "WHERE token_hash = ? AND expires_at > ?"));
  stmt.BindBlob(1, token_hash).Bind(2, ToMillis(now));
  GH_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return Fail(Error::NotFound("session not found"));
  return domain::Session{stmt.Text(0), token_hash, FromMillis(stmt.Int(1))};
}

Status SqliteStore::DeleteSession(const std::string& token_hash) {
  std::lock_guard lock(db_->mutex());
  GH_ASSIGN_OR_RETURN(auto stmt, db_->Prepare("DELETE FROM sessions WHERE token_hash = ?"));
  stmt.BindBlob(1, token_hash);
  return stmt.Run();
}

}  // namespace gatehouse::store::sqlite
