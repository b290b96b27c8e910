#include "metrics/metrics.h"

#include <cstdio>
#include <memory>

namespace gatehouse::metrics {

void LabeledCounter::Inc(std::string_view label, uint64_t n) {
  std::size_t used = used_.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < used; ++i) {
    if (entries_[i].label == label) {
      entries_[i].value.fetch_add(n, std::memory_order_relaxed);
      return;
    }
  }
  std::lock_guard lock(claim_);
  used = used_.load(std::memory_order_relaxed);
  // The last slot is reserved for "other": whatever callers pass, cardinality stays bounded.
  if (used >= kCapacity - 1) label = "other";
  for (std::size_t i = 0; i < used; ++i) {
    if (entries_[i].label == label) {
      entries_[i].value.fetch_add(n, std::memory_order_relaxed);
      return;
    }
  }
  if (used == kCapacity) return;
  entries_[used].label = std::string(label);
  entries_[used].value.store(n, std::memory_order_relaxed);
  used_.store(used + 1, std::memory_order_release);
}

std::vector<std::pair<std::string, uint64_t>> LabeledCounter::Snapshot() const {
  std::vector<std::pair<std::string, uint64_t>> out;
  const std::size_t used = used_.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < used; ++i) {
    out.emplace_back(entries_[i].label, entries_[i].value.load(std::memory_order_relaxed));
  }
  return out;
}

std::string EscapeLabel(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Metrics::Metrics() { routes_.reserve(kMaxRoutes); }

int Metrics::RegisterRoute(std::string label) {
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i]->label == label) return static_cast<int>(i);
  }
  if (routes_.size() == kMaxRoutes) return -1;
  auto stats = std::make_unique<RouteStats>();
  stats->label = std::move(label);
  routes_.push_back(std::move(stats));
  return static_cast<int>(routes_.size() - 1);
}

void Metrics::ObserveRequest(int route, int status, uint64_t micros) {
  if (route < 0 || static_cast<std::size_t>(route) >= routes_.size()) return;
  RouteStats& r = *routes_[static_cast<std::size_t>(route)];
  std::size_t slot = kStatuses.size() - 1;
  for (std::size_t i = 0; i + 1 < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) {
      slot = i;
      break;
    }
  }
  r.by_status[slot].fetch_add(1, std::memory_order_relaxed);
  const double seconds = static_cast<double>(micros) / 1e6;
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  r.buckets[b].fetch_add(1, std::memory_order_relaxed);
  r.sum_micros.fetch_add(micros, std::memory_order_relaxed);
  r.count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::AddGauge(std::string name, std::string help, std::string type,
                       std::function<double()> read) {
  gauges_.push_back({std::move(name), std::move(help), std::move(type), std::move(read)});
}

namespace {

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void Family(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void Labeled(std::string& out, std::string_view name, std::string_view help,
             std::string_view label_name, const LabeledCounter& counter) {
  Family(out, name, help, "counter");
  for (const auto& [label, value] : counter.Snapshot()) {
    out.append(name).append("{").append(label_name).append("=\"").append(EscapeLabel(label));
    out.append("\"} ").append(std::to_string(value)).append("\n");
  }
}

}  // namespace

std::string Metrics::Render() const {
  std::string out;
  out.reserve(32 * 1024);
  Family(out, "gatehouse_http_requests_total", "HTTP requests answered, by route and status.",
         "counter");
  for (const auto& r : routes_) {
    const std::string route = EscapeLabel(r->label);
    for (std::size_t i = 0; i < kStatuses.size(); ++i) {
      const uint64_t v = r->by_status[i].load(std::memory_order_relaxed);
      if (v == 0) continue;
      out.append("gatehouse_http_requests_total{route=\"").append(route).append("\",status=\"");
      out.append(kStatuses[i] == 0 ? "other" : std::to_string(kStatuses[i]));
      out.append("\"} ").append(std::to_string(v)).append("\n");
    }
  }
  Family(out, "gatehouse_http_request_duration_seconds",
         "Time from the first byte of a request to the end of its answer.", "histogram");
  for (const auto& r : routes_) {
    const uint64_t count = r->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string route = EscapeLabel(r->label);
    uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += r->buckets[b].load(std::memory_order_relaxed);
      out.append("gatehouse_http_request_duration_seconds_bucket{route=\"").append(route);
      out.append("\",le=\"").append(b < kBuckets.size() ? Number(kBuckets[b]) : "+Inf");
      out.append("\"} ").append(std::to_string(cumulative)).append("\n");
    }
    out.append("gatehouse_http_request_duration_seconds_sum{route=\"").append(route).append("\"} ");
    out.append(Number(static_cast<double>(r->sum_micros.load(std::memory_order_relaxed)) / 1e6));
    out.append("\n");
    out.append("gatehouse_http_request_duration_seconds_count{route=\"").append(route);
    out.append("\"} ").append(std::to_string(count)).append("\n");
  }
  Labeled(out, "gatehouse_tokens_issued_total", "Access tokens issued.", "grant", tokens_issued);
  if (client_labels) {
    Labeled(out, "gatehouse_client_tokens_issued_total",
            "Access tokens issued per client (the first 64 client ids; the rest as other).",
            "client_id", tokens_issued_by_client);
  }
  Labeled(out, "gatehouse_tokens_refused_total",
          "Refused token requests and token checks, by endpoint:reason.", "reason", tokens_refused);
  Labeled(out, "gatehouse_rate_limited_total", "Requests answered 429 by a rate limit.", "limit",
          rate_limited);
  Labeled(out, "gatehouse_blocked_requests_total", "Requests refused from a blocked source.",
          "endpoint", blocked);
  Labeled(out, "gatehouse_blocks_created_total", "Sources blocked after repeated failures.", "kind",
          blocks_created);
  Labeled(out, "gatehouse_alerts_total", "Security alerts raised.", "type", alerts);
  Labeled(out, "gatehouse_webhook_deliveries_total", "Webhook delivery attempts by result.",
          "result", webhook_results);
  for (const auto& g : gauges_) {
    Family(out, g.name, g.help, g.type);
    out.append(g.name).append(" ").append(Number(g.read())).append("\n");
  }
  return out;
}

}  // namespace gatehouse::metrics
