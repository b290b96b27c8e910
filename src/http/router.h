#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace gatehouse::http {

using Handler = std::function<Response(Request&)>;

// Where a handler runs: inline on the I/O thread (hot paths: pure CPU on the snapshot), or on
// the blocking pool (management: SQLite, argon2id).
enum class Lane { kInline, kBlocking };

struct Route {
  bhttp::verb method;
  std::string pattern;  // "/api/v1/projects/{}/environments": {} matches one segment
  Handler handler;
  Lane lane = Lane::kBlocking;
  int id = -1;  // set by Router::Add: the route's index (metrics)
};

struct Match {
  const Route* route = nullptr;      // set when found
  std::vector<std::string> params;   // percent-decoded captures
  std::vector<bhttp::verb> allowed;  // path matched, method did not: 405 with Allow
};

// Immutable after setup; Find is thread-safe.
class Router {
 public:
  void Add(Route route);
  Match Find(bhttp::verb method, std::string_view path) const;
  // Serves GET and HEAD requests that no route matched (the dashboard's files).
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }
  const Handler& fallback() const { return fallback_; }
  // Every route, by id.
  std::vector<const Route*> Routes() const;

 private:
  Handler fallback_;
  struct Compiled {
    Route route;
    std::vector<std::string> segments;  // "" marks a capture
  };
  std::vector<Compiled> routes_;
};

// "GET, POST" for an Allow header.
std::string AllowHeader(const std::vector<bhttp::verb>& methods);

}  // namespace gatehouse::http
