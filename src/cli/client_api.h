#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "cli/client_credentials.h"
#include "cli/http_client.h"
#include "common/result.h"
#include "common/secret_string.h"

namespace gatehouse::cli {

inline constexpr std::string_view kDefaultServer = "http://127.0.0.1:8080";

// The server to talk to: `--server` if given, else $GATEHOUSE_SERVER, else the server saved at
// login, else kDefaultServer.
std::string ResolveServerText(std::string_view flag, const EnvLookup& env,
                              const std::optional<Credentials>& saved);

// The session token to send to `server`. Fails (kUnauthorized) with "not logged in: run
// `gatehouse login`" when there is none, and also when the saved token was issued by another
// server: a bearer token is never sent anywhere but to its issuer.
Result<SecretString> TokenFor(const ServerUrl& server, const std::optional<Credentials>& saved);

// "<message> (<code>[, field <field>])" from a management error body; for a body that is not
// the documented shape, "server answered HTTP <status>" plus a short excerpt.
std::string DescribeApiError(int status, std::string_view body);

struct ApiResponse {
  int status = 0;
  std::string body;        // verbatim, for --output json
  boost::json::value doc;  // parsed body; null when the body is empty (204)
};

// The management API over an HttpTransport. Every failure is an Error whose description is
// the whole message for the user: DescribeApiError for a 4xx/5xx answer (kind kUnauthorized
// for 401, kNotFound for 404, else kInvalidRequest), "cannot reach <server>: <reason>"
// (kTemporarilyUnavailable) when no answer came, or a note that a 2xx body was not JSON.
class ApiClient {
 public:
  ApiClient(HttpTransport& transport, ServerUrl server, SecretString token)
      : transport_(transport), server_(std::move(server)), token_(std::move(token)) {}

  Result<ApiResponse> Call(std::string_view method, std::string target,
                           std::optional<boost::json::value> body = std::nullopt);

  // GETs every page of a list ({"items", "next_cursor"}), following next_cursor, and returns
  // all the items. Fails on a page that is not that shape, and on a cursor seen twice (a
  // server bug would otherwise loop forever).
  Result<boost::json::array> ListAll(std::string_view path);

  const ServerUrl& server() const { return server_; }

 private:
  HttpTransport& transport_;
  ServerUrl server_;
  SecretString token_;
};

}  // namespace gatehouse::cli
