#include "cli/http_client.h"

#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <cstdlib>

#include "common/http_exchange.h"

namespace gatehouse::cli {
namespace {

namespace http = boost::beast::http;

// A management answer is a page of at most a few hundred objects; anything far larger is not
// our server.
constexpr std::uint64_t kMaxBodyBytes = 64 * 1024 * 1024;

std::string DefaultPort(std::string_view scheme) { return scheme == "https" ? "443" : "80"; }

http::request<http::string_body> BuildBeastRequest(const ServerUrl& server,
                                                   const HttpRequest& request) {
  http::request<http::string_body> req;
  req.method_string(request.method);
  req.target(server.base_path + request.target);
  req.version(11);
  std::string host =
      server.host.find(':') != std::string::npos ? "[" + server.host + "]" : server.host;
  if (server.port != DefaultPort(server.scheme)) host += ":" + server.port;
  req.set(http::field::host, host);
  req.set(http::field::user_agent, "gatehouse-cli/" BOOST_BEAST_VERSION_STRING);
  req.set(http::field::accept, "application/json");
  if (!request.bearer.empty()) {
    req.set(http::field::authorization, "Bearer " + std::string(request.bearer.Reveal()));
  }
  if (!request.body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = request.body;
  }
  req.keep_alive(false);
  req.prepare_payload();
  return req;
}

}  // namespace

Result<HttpResponse> BeastTransport::Send(const ServerUrl& server, const HttpRequest& request) {
  HttpExchangeOptions options;
  options.timeout = timeout_;
  options.body_limit = kMaxBodyBytes;
  // A self-hosted server whose certificate comes from a private CA: GATEHOUSE_CA_FILE names
  // the PEM bundle to trust instead of the system's. The peer is always verified.
  if (const char* ca_file = std::getenv("GATEHOUSE_CA_FILE"); ca_file != nullptr) {
    options.ca_file = ca_file;
  }
  auto out = HttpExchange({server.scheme, server.host, server.port},
                          BuildBeastRequest(server, request), options);
  if (!out.response) return Fail(Error::Of(ErrorKind::kTemporarilyUnavailable, out.error));
  HttpResponse response;
  response.status = static_cast<int>(out.response->result_int());
  response.content_type = std::string((*out.response)[http::field::content_type]);
  response.body = std::move(out.response->body());
  return response;
}

}  // namespace gatehouse::cli
