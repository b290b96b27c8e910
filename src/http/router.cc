#include "http/router.h"

#include <algorithm>
#include <boost/url/pct_string_view.hpp>

namespace gatehouse::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  for (;;) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::optional<std::string> Decode(std::string_view segment) {
  auto pct = boost::urls::make_pct_string_view(segment);
  if (!pct) return std::nullopt;
  return pct->decode();
}

}  // namespace

void Router::Add(Route route) {
  route.id = static_cast<int>(routes_.size());
  Compiled compiled{std::move(route), {}};
  for (auto seg : Split(compiled.route.pattern)) {
    compiled.segments.emplace_back(seg == "{}" ? "" : std::string(seg));
  }
  routes_.push_back(std::move(compiled));
}

Match Router::Find(bhttp::verb method, std::string_view path) const {
  Match match;
  const auto segments = Split(path);
  for (const auto& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    // Literal segments first: most routes fail there, before any parameter is decoded.
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      ok = r.segments[i].empty() || r.segments[i] == segments[i];
    }
    if (!ok) continue;
    std::vector<std::string> params;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      if (!r.segments[i].empty()) continue;
      auto decoded = Decode(segments[i]);
      ok = decoded && !decoded->empty();
      if (ok) params.push_back(std::move(*decoded));
    }
    if (!ok) continue;
    if (r.route.method == method ||
        (method == bhttp::verb::head && r.route.method == bhttp::verb::get)) {
      match.route = &r.route;
      match.params = std::move(params);
      return match;
    }
    if (std::find(match.allowed.begin(), match.allowed.end(), r.route.method) ==
        match.allowed.end()) {
      match.allowed.push_back(r.route.method);
    }
  }
  return match;
}

std::vector<const Route*> Router::Routes() const {
  std::vector<const Route*> out;
  for (const auto& r : routes_) out.push_back(&r.route);
  return out;
}

std::string AllowHeader(const std::vector<bhttp::verb>& methods) {
  std::string out;
  for (auto m : methods) {
    if (!out.empty()) out += ", ";
    out += std::string(bhttp::to_string(m));
  }
  return out;
}

}  // namespace gatehouse::http
