#include "common/http_exchange.h"

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
#include <exception>

namespace gatehouse {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

using Request = http::request<http::string_body>;

template <typename Stream>
asio::awaitable<void> Exchange(Stream& stream, Request& request, const HttpExchangeOptions& options,
                               HttpExchangeResult& out) {
  beast::get_lowest_layer(stream).expires_after(options.timeout);
  auto [write_ec, written] = co_await http::async_write(stream, request, kNoThrow);
  (void)written;
  if (write_ec) {
    out.error = write_ec.message();
    co_return;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(options.body_limit);
  beast::get_lowest_layer(stream).expires_after(options.timeout);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kNoThrow);
  (void)read;
  if (read_ec) {
    out.error = read_ec.message();
    co_return;
  }
  out.response = parser.release();
}

// The trust store (the system's, or `ca_file`) and peer verification. Before any stream is
// made from `ctx`: an SSL handle copies the verify mode of its context when it is created.
bool ConfigureTrust(ssl::context& ctx, const HttpExchangeOptions& options,
                    HttpExchangeResult& out) {
  boost::system::error_code ec;
  ctx.set_verify_mode(ssl::verify_peer, ec);
  if (!ec) {
    if (!options.ca_file.empty()) {
      ctx.load_verify_file(options.ca_file, ec);
    } else {
      ctx.set_default_verify_paths(ec);
    }
  }
  if (ec) out.error = "TLS setup: " + ec.message();
  return !ec;
}

// The name the peer's certificate must carry, and SNI for a DNS name.
bool BindPeerName(SSL* handle, const std::string& host, HttpExchangeResult& out) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  const bool bound = !ec ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), host.c_str()) == 1
                         : SSL_set1_host(handle, host.c_str()) == 1 &&
                               SSL_set_tlsext_host_name(handle, host.c_str()) == 1;
  if (!bound) out.error = "TLS setup: cannot bind the server name " + host;
  return bound;
}

asio::awaitable<void> Run(const HttpEndpoint& endpoint, Request& request,
                          const HttpExchangeOptions& options, HttpExchangeResult& out) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(endpoint.host, endpoint.port, kNoThrow);
  if (resolve_ec) {
    out.error = resolve_ec.message();
    co_return;
  }
  if (endpoint.scheme != "https") {
    beast::tcp_stream stream(executor);
    stream.expires_after(options.timeout);
    auto [connect_ec, connected] = co_await stream.async_connect(endpoints, kNoThrow);
    (void)connected;
    if (connect_ec) {
      out.error = connect_ec.message();
      co_return;
    }
    co_await Exchange(stream, request, options, out);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return;
  }
  ssl::context ctx(ssl::context::tls_client);
  if (!ConfigureTrust(ctx, options, out)) co_return;
  beast::ssl_stream<beast::tcp_stream> stream(executor, ctx);
  if (!BindPeerName(stream.native_handle(), endpoint.host, out)) co_return;
  beast::get_lowest_layer(stream).expires_after(options.timeout);
  auto [connect_ec, connected] =
      co_await beast::get_lowest_layer(stream).async_connect(endpoints, kNoThrow);
  (void)connected;
  if (connect_ec) {
    out.error = connect_ec.message();
    co_return;
  }
  beast::get_lowest_layer(stream).expires_after(options.timeout);
  auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::client, kNoThrow);
  if (handshake_ec) {
    out.error = handshake_ec.message();
    co_return;
  }
  co_await Exchange(stream, request, options, out);
  // The answer is complete; a peer that drops the connection without close_notify is harmless
  // here, so the shutdown's result is ignored (and bounded).
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(kNoThrow);
}

}  // namespace

HttpExchangeResult HttpExchange(const HttpEndpoint& endpoint, Request request,
                                const HttpExchangeOptions& options) {
  HttpExchangeResult out;
  try {
    asio::io_context ioc;
    std::exception_ptr failure;
    asio::co_spawn(ioc, Run(endpoint, request, options, out),
                   [&failure](std::exception_ptr e) { failure = e; });
    ioc.run();
    if (failure) std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    out.response.reset();
    out.error = e.what();
  } catch (...) {
    out.response.reset();
    out.error = "unknown failure";
  }
  if (!out.response && out.error.empty()) out.error = "no answer";
  return out;
}

}  // namespace gatehouse
