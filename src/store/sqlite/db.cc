#include "store/sqlite/db.h"

#include <memory>

namespace gatehouse::store::sqlite {

Error SqliteError(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  std::string detail = std::string(what) + ": " + sqlite3_errmsg(db);
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Error{ErrorKind::kConflict, "already exists", detail, {}};
  }
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    return Error{ErrorKind::kTemporarilyUnavailable, "database busy", detail, {}};
  }
  return Error::Server(detail);
}

Stmt& Stmt::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
Stmt& Stmt::BindBlob(int index, std::string_view blob) {
  sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}
Stmt& Stmt::Bind(int index, const std::optional<int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Result<bool> Stmt::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Fail(SqliteError(db_, sqlite3_sql(stmt_)));
}

Status Stmt::Run() {
  for (;;) {
    auto row = Step();
    if (!row) return Fail(std::move(row.error()));
    if (!*row) return {};
  }
}

std::string Stmt::Text(int column) const {
  const auto* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return data ? std::string(static_cast<const char*>(data), static_cast<std::size_t>(size))
              : std::string();
}
int64_t Stmt::Int(int column) const { return sqlite3_column_int64(stmt_, column); }
bool Stmt::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::optional<int64_t> Stmt::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  // NOMUTEX: every use of the connection holds mutex_ already (see the class comment), so
  // SQLite's own per-call locking would only cost time.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &raw, flags, nullptr) != SQLITE_OK) {
    Error e = Error::Server("cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : "?"));
    sqlite3_close(raw);
    return Fail(std::move(e));
  }
  std::unique_ptr<Db> db(new Db(raw));
  sqlite3_busy_timeout(raw, 5000);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON",
                             "PRAGMA synchronous=NORMAL", "PRAGMA secure_delete=ON"}) {
    if (auto s = db->Exec(pragma); !s) return Fail(std::move(s.error()));
  }
  return db;
}

Db::~Db() { sqlite3_close_v2(db_); }

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return Fail(SqliteError(db_, sql));
  }
  return Stmt(db_, stmt);
}

Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string detail = text + ": " + (message ? message : "?");
    sqlite3_free(message);
    return Fail(Error::Server(detail));
  }
  return {};
}

Transaction::Transaction(Db& db) : db_(db) {}

Status Transaction::Begin() {
  if (auto s = db_.Exec("BEGIN IMMEDIATE"); !s) return s;
  open_ = true;
  return {};
}

Status Transaction::Commit() {
  if (auto s = db_.Exec("COMMIT"); !s) return s;
  open_ = false;
  return {};
}

Transaction::~Transaction() {
  if (open_) (void)db_.Exec("ROLLBACK");
}

}  // namespace gatehouse::store::sqlite
