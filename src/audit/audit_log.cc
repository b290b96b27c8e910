#include "audit/audit_log.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

namespace gatehouse::audit {

AuditLog::AuditLog(store::SecurityStore& store, const Clock& clock, AuditOptions options)
    : store_(store), clock_(clock), options_(options) {
  queue_.reserve(1024);
}

AuditLog::~AuditLog() { Stop(); }

bool AuditLog::Record(domain::AuditEvent event) {
  if (event.at == TimePoint{}) event.at = clock_.Now();
  std::size_t size = 0;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.capacity) {
      const uint64_t n = dropped_.fetch_add(1, std::memory_order_relaxed) + 1;
      // Log the first loss and then every 1000th, so that a flood does not flood the log too.
      if (n == 1 || n % 1000 == 0) {
        spdlog::warn(R"("msg":"audit queue full, events dropped","dropped_total":{}}})", n);
      }
      return false;
    }
    queue_.push_back(std::move(event));
    size = queue_.size();
  }
  depth_.store(size, std::memory_order_relaxed);
  if (size == 4096) cv_.notify_one();  // a big batch is ready: do not wait for the timer
  return true;
}

void AuditLog::Start() {
  if (writer_.joinable()) return;
  writer_ = std::thread([this] { Run(); });
}

void AuditLog::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void AuditLog::Run() {
  std::vector<domain::AuditEvent> batch;
  batch.reserve(1024);
  auto next_purge = std::chrono::steady_clock::now();
  for (;;) {
    if (options_.retention_days > 0 && std::chrono::steady_clock::now() >= next_purge) {
      Purge();  // at start, then hourly
      next_purge = std::chrono::steady_clock::now() + std::chrono::hours(1);
    }
    bool stop = false;
    {
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, options_.flush_interval,
                   [this] { return stopping_ || queue_.size() >= 4096; });
      stop = stopping_;
      batch.swap(queue_);
    }
    depth_.store(0, std::memory_order_relaxed);
    if (!batch.empty()) WriteBatch(batch);
    batch.clear();
    if (stop) break;
  }
}

void AuditLog::WriteBatch(std::vector<domain::AuditEvent>& batch) {
  auto written = store_.AppendAuditEvents(batch);
  if (!written) {
    // The database refused (full disk, locked): the batch is lost, and said so.
    dropped_.fetch_add(batch.size(), std::memory_order_relaxed);
    spdlog::error(R"("msg":"audit batch not written","events":{},"detail":{}}})", batch.size(),
                  boost::json::serialize(boost::json::value(written.error().detail)));
    return;
  }
  written_.fetch_add(batch.size(), std::memory_order_relaxed);
}

void AuditLog::Purge() {
  auto purged =
      store_.PurgeAuditEvents(clock_.Now() - std::chrono::hours(24) * options_.retention_days);
  if (!purged) {
    spdlog::error(R"("msg":"audit purge failed","detail":{}}})",
                  boost::json::serialize(boost::json::value(purged.error().detail)));
  } else if (*purged > 0) {
    spdlog::info(R"("msg":"audit events purged","count":{}}})", *purged);
  }
}

}  // namespace gatehouse::audit
