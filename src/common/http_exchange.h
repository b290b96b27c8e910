#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace gatehouse {

// Where to send one request: "http" or "https", a host (DNS name or IP literal, IPv6 without
// brackets) and a port.
struct HttpEndpoint {
  std::string scheme;
  std::string host;
  std::string port;
};

struct HttpExchangeOptions {
  std::chrono::milliseconds timeout{30000};  // bounds each step: connect, handshake, write, read
  std::string ca_file;                       // PEM bundle to trust instead of the system store
  std::uint64_t body_limit = 1024 * 1024;    // a larger answer is an error
};

struct HttpExchangeResult {
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> response;
  std::string error;  // why there is no response ("Connection refused", "timed out", ...)
};

// One HTTP/1.1 exchange over a new connection, plain TCP or TLS. With TLS the peer's
// certificate is always verified, and its name checked by OpenSSL (RFC 6125: a DNS name
// against the SAN dNSNames, an IP literal against the SAN iPAddresses; SNI carries names
// only, RFC 6066 §3). Any answer, whatever its status, is a response. Runs on a private
// io_context; never throws. Thread-safe.
HttpExchangeResult HttpExchange(
    const HttpEndpoint& endpoint,
    boost::beast::http::request<boost::beast::http::string_body> request,
    const HttpExchangeOptions& options);

}  // namespace gatehouse
