#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "cli/client_server_url.h"
#include "common/result.h"
#include "common/secret_string.h"

namespace gatehouse::cli {

struct HttpRequest {
  std::string method;   // "GET", "POST", "PATCH", "DELETE"
  std::string target;   // path and query under the server's base path: "/api/v1/projects"
  std::string body;     // JSON; sent with Content-Type: application/json when not empty
  SecretString bearer;  // sent as Authorization: Bearer when not empty
};

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Seam for the network, so that command logic can be tested with a fake.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Any answer from the server, whatever its status, is a value. Fails with
  // kTemporarilyUnavailable whose description is the reason ("Connection refused", "timed
  // out", "certificate verify failed") when no answer could be had.
  virtual Result<HttpResponse> Send(const ServerUrl& server, const HttpRequest& request) = 0;
};

// One synchronous HTTP/1.1 exchange per Send, over a new connection (plain TCP or TLS with
// the peer's certificate and host name verified against the system trust store, or against
// the PEM bundle named by GATEHOUSE_CA_FILE). Every step is bounded by `timeout`.
// Not thread-safe; a CLI needs one request at a time.
class BeastTransport final : public HttpTransport {
 public:
  explicit BeastTransport(std::chrono::seconds timeout = std::chrono::seconds(30))
      : timeout_(timeout) {}
  Result<HttpResponse> Send(const ServerUrl& server, const HttpRequest& request) override;

 private:
  std::chrono::seconds timeout_;
};

}  // namespace gatehouse::cli
