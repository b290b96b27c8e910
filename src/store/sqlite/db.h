#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace gatehouse::store::sqlite {

// A prepared statement; finalized on destruction. Bind indexes start at 1, columns at 0.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Stmt(Stmt&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }

  Stmt& Bind(int index, std::string_view text);
  Stmt& Bind(int index, int64_t value);
  Stmt& BindBlob(int index, std::string_view blob);
  Stmt& BindNull(int index);
  Stmt& Bind(int index, const std::optional<int64_t>& value);

  // Next row: true when a row is available, false when done; Error on failure (a UNIQUE
  // violation is Conflict).
  Result<bool> Step();
  // Runs to completion (for statements without rows).
  Status Run();
  // Ready to run again with new bindings (batch inserts).
  Stmt& Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return *this;
  }

  std::string Text(int column) const;
  int64_t Int(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// One SQLite connection, serialised by a mutex: management traffic is light, and hot paths
// never come here. Every use of the connection, from Prepare() to a statement's destruction,
// holds mutex() (the connection is opened without SQLite's own mutex). WAL mode, foreign keys on,
// busy timeout, synchronous=NORMAL (a committed transaction survives a process crash; WAL makes
// that durable without an fsync per commit).
class Db {
 public:
  static Result<std::unique_ptr<Db>> Open(const std::string& path);
  ~Db();

  Result<Stmt> Prepare(std::string_view sql);
  Status Exec(std::string_view sql);

  std::mutex& mutex() { return mutex_; }
  sqlite3* raw() { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::mutex mutex_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless Commit() succeeded.
// REQUIRES: the caller holds db.mutex().
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Status Begin();
  Status Commit();

 private:
  Db& db_;
  bool open_ = false;
};

Error SqliteError(sqlite3* db, std::string_view what);

}  // namespace gatehouse::store::sqlite
