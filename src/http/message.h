#pragma once

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace gatehouse::http {

namespace bhttp = boost::beast::http;
using RawRequest = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

// One request as handlers see it: the parsed message plus what the connection knows.
// Handlers are pure functions of a Request (and their services) to a Response.
struct Request {
  const RawRequest& raw;
  std::string_view path;            // without the query
  std::string_view query;           // without '?'
  std::vector<std::string> params;  // path parameters, percent-decoded, in route order
  std::string peer_ip;
  bool tls = false;
  std::string request_id;
  // The client's address: the peer, or what a trusted proxy forwarded (`forwarded`).
  std::string source_ip = {};
  bool forwarded = false;
  // Set by handlers for the request log line (never a secret).
  std::string log_client_id = {};
  std::string log_environment = {};

  bhttp::verb method() const { return raw.method(); }
  std::string_view Header(bhttp::field f) const;
  std::string_view Header(std::string_view name) const;
  // The first value of query parameter `name`, percent-decoded; nullopt when absent.
  std::optional<std::string> Query(std::string_view name) const;
  // How many times `name` appears in the query.
  int QueryCount(std::string_view name) const;
  // Value of cookie `name`, or empty.
  std::string_view Cookie(std::string_view name) const;
};

Response MakeResponse(bhttp::status status, std::string body = {},
                      std::string_view content_type = "application/json");
Response JsonResponse(bhttp::status status, const boost::json::value& body);
Response NoContent();

// The only place an Error becomes HTTP (status, headers, body). Management and OAuth errors
// share the {"error", ...} shape; OAuth endpoints use "error_description", the management API
// "message" (and "field" when a request field is at fault).
enum class ErrorStyle { kManagement, kOAuth };
Response ErrorResponse(const Error& error, ErrorStyle style = ErrorStyle::kManagement);
bhttp::status StatusFor(ErrorKind kind);

}  // namespace gatehouse::http
