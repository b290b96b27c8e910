#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::metrics {

// A counter with a bounded set of label values, found by name without locks: entries are
// claimed once (under a mutex) and never move, so readers scan an append-only array. Values
// past the capacity fold into "other", which keeps cardinality bounded whatever callers pass.
class LabeledCounter {
 public:
  static constexpr std::size_t kCapacity = 64;
  void Inc(std::string_view label, uint64_t n = 1);
  // (label, value) pairs in claim order.
  std::vector<std::pair<std::string, uint64_t>> Snapshot() const;

 private:
  struct Entry {
    std::string label;
    std::atomic<uint64_t> value{0};
  };
  std::atomic<std::size_t> used_{0};
  std::array<Entry, kCapacity> entries_;
  std::mutex claim_;
};

// Per-route request counters (by status) and latency histograms: fixed arrays indexed by the
// route's id and a status slot, updated with relaxed atomics. Nothing allocates or locks
// after RegisterRoute, which happens at start-up.
class Metrics {
 public:
  static constexpr std::size_t kMaxRoutes = 128;
  static constexpr std::array<double, 14> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  static constexpr std::array<int, 18> kStatuses = {200, 201, 204, 301, 302, 304, 400, 401, 403,
                                                    404, 405, 409, 413, 415, 429, 500, 503, 0};

  Metrics();
  // Returns the id for a route label ("POST /oauth/{}/{}/token"); start-up only.
  int RegisterRoute(std::string label);
  void ObserveRequest(int route, int status, uint64_t micros);

  LabeledCounter tokens_issued;    // by environment-independent label "total"
  LabeledCounter tokens_refused;   // "endpoint:reason"
  LabeledCounter rate_limited;     // by limit name
  LabeledCounter blocked;          // refused because the source is blocked, by endpoint
  LabeledCounter blocks_created;   // by kind
  LabeledCounter alerts;           // by type
  LabeledCounter webhook_results;  // delivered / retry / failed
  // Tokens issued per client_id, exported only when `client_labels` is on (setting
  // metrics_client_labels): at most kCapacity client ids, the rest fold into "other".
  LabeledCounter tokens_issued_by_client;
  bool client_labels = false;

  // Gauges read at scrape time (audit queue depth, snapshot version, ...).
  void AddGauge(std::string name, std::string help, std::string type, std::function<double()> read);

  // The Prometheus text exposition format (version 0.0.4).
  std::string Render() const;

 private:
  struct RouteStats {
    std::string label;
    std::array<std::atomic<uint64_t>, kStatuses.size()> by_status{};
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<uint64_t> sum_micros{0};
    std::atomic<uint64_t> count{0};
  };
  struct Gauge {
    std::string name, help, type;
    std::function<double()> read;
  };
  std::vector<std::unique_ptr<RouteStats>> routes_;
  std::vector<Gauge> gauges_;
};

// "a\"b" -> a\\\"b for a Prometheus label value.
std::string EscapeLabel(std::string_view value);

}  // namespace gatehouse::metrics
