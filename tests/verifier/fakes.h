// Fakes for the verification library's seams: a settable clock and a scripted fetcher.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "gatehouse/clock.h"
#include "gatehouse/http_fetcher.h"

namespace gatehouse::verifier::test {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t unix_seconds) : now_(unix_seconds) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(now_.load()));
  }
  void Advance(std::chrono::seconds d) { now_ += d.count(); }
  int64_t seconds() const { return now_.load(); }

 private:
  std::atomic<int64_t> now_;
};

// Answers GETs from a table keyed by URL (the query string is ignored for the lookup but
// recorded); unknown URLs are 404; `down` makes every request a transport failure.
class FakeFetcher final : public HttpFetcher {
 public:
  HttpResponse Get(const HttpRequest& request) override {
    std::lock_guard lock(mu_);
    const std::string base = request.url.substr(0, request.url.find('?'));
    ++calls_[base];
    last_ = request;
    if (down_) return HttpResponse{0, {}, {}, "Connection refused"};
    auto it = routes_.find(base);
    if (it == routes_.end()) return HttpResponse{404, {}, "{}", {}};
    return it->second;
  }
  void Set(const std::string& url, int status, std::string body, std::string cache_control = {}) {
    std::lock_guard lock(mu_);
    HttpResponse res{status, {}, std::move(body), {}};
    if (!cache_control.empty()) res.headers["cache-control"] = cache_control;
    routes_[url] = std::move(res);
  }
  void SetDown(bool down) {
    std::lock_guard lock(mu_);
    down_ = down;
  }
  int Calls(const std::string& url) {
    std::lock_guard lock(mu_);
    return calls_[url];
  }
  int TotalCalls() {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& [url, count] : calls_) n += count;
    return n;
  }
  HttpRequest Last() {
    std::lock_guard lock(mu_);
    return last_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, HttpResponse> routes_;
  std::map<std::string, int> calls_;
  HttpRequest last_;
  bool down_ = false;
};

}  // namespace gatehouse::verifier::test
