#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "domain/security.h"
#include "store/store.h"

namespace gatehouse::audit {

// Event types (the `type` filter of the audit API).
inline constexpr const char* kTokenIssued = "token.issued";
inline constexpr const char* kTokenRefused = "token.refused";
inline constexpr const char* kTokenRevoked = "token.revoked";
inline constexpr const char* kVerifyRefused = "verify.refused";
inline constexpr const char* kIntrospectRefused = "introspect.refused";
inline constexpr const char* kRevokeRefused = "revoke.refused";
inline constexpr const char* kLoginSucceeded = "login.succeeded";
inline constexpr const char* kLoginFailed = "login.failed";
inline constexpr const char* kBlockCreated = "block.created";
inline constexpr const char* kBlockLifted = "block.lifted";

struct AuditOptions {
  std::size_t capacity = 65536;  // events waiting for the writer; more are dropped (counted)
  std::chrono::milliseconds flush_interval{200};
  int retention_days = 90;  // 0: keep forever
};

// The audit trail's front door. Record() is called on request paths: it takes a short lock,
// appends to a bounded in-memory queue and returns; it never touches the database. One
// background thread writes batches (one transaction each) and purges events past retention.
// When the queue is full the event is dropped, counted (dropped()) and logged: requests go on.
// Thread-safe.
class AuditLog {
 public:
  AuditLog(store::SecurityStore& store, const Clock& clock, AuditOptions options = {});
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Stamps `at` when unset. False when the queue was full and the event dropped.
  bool Record(domain::AuditEvent event);
  void Start();
  // Writes what is queued and stops the writer. Idempotent.
  void Stop();

  std::size_t depth() const { return depth_.load(std::memory_order_relaxed); }
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  uint64_t written() const { return written_.load(std::memory_order_relaxed); }

 private:
  void Run();
  void WriteBatch(std::vector<domain::AuditEvent>& batch);
  void Purge();

  store::SecurityStore& store_;
  const Clock& clock_;
  const AuditOptions options_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<domain::AuditEvent> queue_;
  bool stopping_ = false;
  std::thread writer_;
  std::atomic<std::size_t> depth_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> written_{0};
};

}  // namespace gatehouse::audit
