#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "common/result.h"
#include "domain/model.h"
#include "http/message.h"
#include "store/store.h"

namespace gatehouse::http {

// RFC 3339 UTC with second precision: "2026-11-23T14:09:18Z".
std::string FormatTime(TimePoint t);

// {"requests_per_second", "burst"} or null.
boost::json::value RenderRateLimit(const std::optional<domain::RateLimit>& limit);
boost::json::object RenderAccount(const domain::Account& a);
boost::json::object RenderEnvironment(const domain::Environment& e, const std::string& issuer);
// `issuer_base` is the public URL; issuers are {public_url}/oauth/{project}/{env}.
boost::json::object RenderProject(const domain::Project& p, const std::string& public_url);
// Never a secret: the API's introspection credential appears as {"client_id"} only.
boost::json::object RenderApi(const domain::Api& a);
// Never a secret hash: only whether and until when a previous secret still works.
boost::json::object RenderClient(const domain::Client& c, TimePoint now);

// Paging: ?limit= (1-200, default 50) and an opaque ?cursor=; 400 naming the parameter.
Result<store::PageRequest> ParsePage(const Request& req);
std::string EncodeCursor(int64_t after_seq);
template <typename T, typename F>
boost::json::object RenderPage(const store::Page<T>& page, F&& render) {
  boost::json::array items;
  for (const auto& item : page.items) items.push_back(render(item));
  boost::json::object out;
  out["items"] = std::move(items);
  out["next_cursor"] = nullptr;
  if (page.next_after_seq) out["next_cursor"] = EncodeCursor(*page.next_after_seq);
  return out;
}

}  // namespace gatehouse::http
