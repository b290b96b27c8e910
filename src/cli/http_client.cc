#include "cli/http_client.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <cstdlib>
#include <exception>
#include <optional>

namespace gatehouse::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// A management answer is a page of at most a few hundred objects; anything far larger is not
// our server.
constexpr std::uint64_t kMaxBodyBytes = 64 * 1024 * 1024;

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

std::string DefaultPort(std::string_view scheme) { return scheme == "https" ? "443" : "80"; }

struct Outcome {
  std::optional<HttpResponse> response;
  std::string error;
};

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

template <typename Stream>
asio::awaitable<void> Exchange(Stream& stream, http::request<http::string_body>& req,
                               std::chrono::seconds timeout, Outcome& out) {
  beast::get_lowest_layer(stream).expires_after(timeout);
  auto [write_ec, written] = co_await http::async_write(stream, req, kNoThrow);
  (void)written;
  if (write_ec) {
    out.error = write_ec.message();
    co_return;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxBodyBytes);
  beast::get_lowest_layer(stream).expires_after(timeout);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kNoThrow);
  (void)read;
  if (read_ec) {
    out.error = read_ec.message();
    co_return;
  }
  const auto& res = parser.get();
  HttpResponse response;
  response.status = static_cast<int>(res.result_int());
  response.content_type = std::string(res[http::field::content_type]);
  response.body = res.body();
  out.response = std::move(response);
}

// Trust store: the system's, or the PEM bundle in GATEHOUSE_CA_FILE for a self-hosted server
// whose certificate comes from a private CA. The peer is always verified.
bool ConfigureTls(ssl::context& ctx, Outcome& out) {
  boost::system::error_code ec;
  ctx.set_verify_mode(ssl::verify_peer, ec);
  if (!ec) {
    const char* ca_file = std::getenv("GATEHOUSE_CA_FILE");
    if (ca_file != nullptr && *ca_file != '\0') {
      ctx.load_verify_file(ca_file, ec);
    } else {
      ctx.set_default_verify_paths(ec);
    }
  }
  if (ec) out.error = "TLS setup: " + ec.message();
  return !ec;
}

// RFC 6125 host checking is left to OpenSSL: a DNS name against the SAN dNSNames, an IP
// literal against the SAN iPAddresses. SNI carries names only (RFC 6066 §3).
bool BindPeerName(SSL* ssl_handle, const std::string& host, Outcome& out) {
  int ok = 0;
  if (IsIpLiteral(host)) {
    ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_handle), host.c_str());
  } else {
    ok = SSL_set1_host(ssl_handle, host.c_str()) == 1 &&
         SSL_set_tlsext_host_name(ssl_handle, host.c_str()) == 1;
  }
  if (!ok) out.error = "TLS setup: cannot bind the server name " + host;
  return ok != 0;
}

asio::awaitable<void> Run(const ServerUrl& server, const HttpRequest& request,
                          std::chrono::seconds timeout, Outcome& out) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(server.host, server.port, kNoThrow);
  if (resolve_ec) {
    out.error = resolve_ec.message();
    co_return;
  }
  auto req = BuildBeastRequest(server, request);
  if (server.scheme != "https") {
    beast::tcp_stream stream(executor);
    stream.expires_after(timeout);
    auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, kNoThrow);
    (void)endpoint;
    if (connect_ec) {
      out.error = connect_ec.message();
      co_return;
    }
    co_await Exchange(stream, req, timeout, out);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return;
  }
  ssl::context ctx(ssl::context::tls_client);
  if (!ConfigureTls(ctx, out)) co_return;
  beast::ssl_stream<beast::tcp_stream> stream(executor, ctx);
  if (!BindPeerName(stream.native_handle(), server.host, out)) co_return;
  beast::get_lowest_layer(stream).expires_after(timeout);
  auto [connect_ec, endpoint] =
      co_await beast::get_lowest_layer(stream).async_connect(endpoints, kNoThrow);
  (void)endpoint;
  if (connect_ec) {
    out.error = connect_ec.message();
    co_return;
  }
  beast::get_lowest_layer(stream).expires_after(timeout);
  auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::client, kNoThrow);
  if (handshake_ec) {
    out.error = handshake_ec.message();
    co_return;
  }
  co_await Exchange(stream, req, timeout, out);
  // The answer is complete; a peer that drops the connection without close_notify is harmless
  // here, so the shutdown result is ignored.
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(kNoThrow);
}

}  // namespace

Result<HttpResponse> BeastTransport::Send(const ServerUrl& server, const HttpRequest& request) {
  asio::io_context ioc;
  Outcome out;
  std::exception_ptr failure;
  asio::co_spawn(ioc, Run(server, request, timeout_, out),
                 [&failure](std::exception_ptr e) { failure = e; });
  ioc.run();
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      out.error = e.what();
    } catch (...) {
      out.error = "unknown failure";
    }
  }
  if (out.response) return std::move(*out.response);
  return Fail(Error::Of(ErrorKind::kTemporarilyUnavailable, out.error));
}

}  // namespace gatehouse::cli
