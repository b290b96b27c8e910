#include "http/message.h"

#include <boost/url/parse_query.hpp>

namespace gatehouse::http {

std::string_view Request::Header(bhttp::field f) const {
  auto it = raw.find(f);
  return it == raw.end() ? std::string_view() : std::string_view(it->value());
}

std::string_view Request::Header(std::string_view name) const {
  auto it = raw.find(name);
  return it == raw.end() ? std::string_view() : std::string_view(it->value());
}

namespace {

// Boost.URL 1.81's parse_query runs to the terminating NUL of its input instead of stopping at
// the view's end, so it always gets a std::string (tests/http/render_test.cc pins this).
boost::system::result<boost::urls::params_encoded_view> ParseQuery(const std::string& query) {
  return boost::urls::parse_query(query);
}

}  // namespace

std::optional<std::string> Request::Query(std::string_view name) const {
  const std::string copy(query);
  auto parsed = ParseQuery(copy);
  if (!parsed) return std::nullopt;
  for (const auto& p : *parsed) {
    if (p.key == name) return p.value.decode();
  }
  return std::nullopt;
}

int Request::QueryCount(std::string_view name) const {
  const std::string copy(query);
  auto parsed = ParseQuery(copy);
  if (!parsed) return 0;
  int n = 0;
  for (const auto& p : *parsed) n += p.key == name ? 1 : 0;
  return n;
}

std::string_view Request::Cookie(std::string_view name) const {
  std::string_view header = Header(bhttp::field::cookie);
  while (!header.empty()) {
    auto end = header.find(';');
    std::string_view pair = header.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return {};
}

Response MakeResponse(bhttp::status status, std::string body, std::string_view content_type) {
  Response res{status, 11};
  if (!body.empty() || status != bhttp::status::no_content) {
    res.set(bhttp::field::content_type, content_type);
  }
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response JsonResponse(bhttp::status status, const boost::json::value& body) {
  return MakeResponse(status, boost::json::serialize(body));
}

Response NoContent() {
  Response res{bhttp::status::no_content, 11};
  res.prepare_payload();
  return res;
}

bhttp::status StatusFor(ErrorKind kind) {
  using S = bhttp::status;
  switch (kind) {
    case ErrorKind::kInvalidRequest:
    case ErrorKind::kInvalidGrant:
    case ErrorKind::kInvalidScope:
    case ErrorKind::kInvalidTarget:
    case ErrorKind::kUnsupportedGrantType:
    case ErrorKind::kUnauthorizedClient:
      return S::bad_request;
    case ErrorKind::kInvalidClient:
    case ErrorKind::kInvalidToken:
    case ErrorKind::kUnauthorized:
      return S::unauthorized;
    case ErrorKind::kInsufficientScope:
      return S::forbidden;
    case ErrorKind::kNotFound:
      return S::not_found;
    case ErrorKind::kMethodNotAllowed:
      return S::method_not_allowed;
    case ErrorKind::kConflict:
      return S::conflict;
    case ErrorKind::kPayloadTooLarge:
      return S::payload_too_large;
    case ErrorKind::kUnsupportedMediaType:
      return S::unsupported_media_type;
    case ErrorKind::kRateLimited:
      return S::too_many_requests;
    case ErrorKind::kServerError:
      return S::internal_server_error;
    case ErrorKind::kTemporarilyUnavailable:
      return S::service_unavailable;
  }
  return S::internal_server_error;
}

namespace {

// RFC 6750 §3 and RFC 7235: quotes and backslashes cannot appear inside the quoted string.
std::string QuoteSafe(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) out.push_back(c);
  }
  return out;
}

}  // namespace

Response ErrorResponse(const Error& error, ErrorStyle style) {
  boost::json::object body;
  body["error"] = ErrorCode(error.kind);
  if (style == ErrorStyle::kOAuth) {
    if (!error.description.empty()) body["error_description"] = error.description;
  } else {
    body["message"] =
        error.description.empty() ? std::string(ErrorCode(error.kind)) : error.description;
    if (!error.field.empty()) body["field"] = error.field;
  }
  Response res = JsonResponse(StatusFor(error.kind), body);
  switch (error.kind) {
    case ErrorKind::kInvalidClient:
      // RFC 6749 §5.2: 401 with the scheme the client tried (we only take Basic).
      res.set(bhttp::field::www_authenticate, "Basic realm=\"gatehouse\"");
      break;
    case ErrorKind::kInvalidToken:
    case ErrorKind::kInsufficientScope:
      res.set(bhttp::field::www_authenticate,
              "Bearer error=\"" + std::string(ErrorCode(error.kind)) + "\", error_description=\"" +
                  QuoteSafe(error.description) + "\"");
      break;
    case ErrorKind::kUnauthorized:
      res.set(bhttp::field::www_authenticate, "Bearer realm=\"gatehouse\"");
      break;
    default:
      break;
  }
  if (style == ErrorStyle::kOAuth) {
    res.set(bhttp::field::cache_control, "no-store");
    res.set(bhttp::field::pragma, "no-cache");
  }
  return res;
}

}  // namespace gatehouse::http
