// The default HttpFetcher: Boost.Beast, one connection per request, every step bounded by the
// timeout (the synchronous Beast calls have no deadline, so the exchange runs as a coroutine
// on a private io_context). Modelled on cli/http_client.cc, which the library cannot depend on.
#include "gatehouse/http_fetcher.h"

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
#include <boost/url/parse.hpp>
#include <cctype>
#include <exception>

namespace gatehouse::verifier {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// Metadata, a JWKS and a claims object are a few KiB; anything far larger is not Gatehouse.
constexpr std::uint64_t kMaxBodyBytes = 1024 * 1024;

struct Target {
  std::string scheme, host, port, target, host_header;
};

bool ParseUrl(const std::string& url, Target& t, std::string& error) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    error = "not a URL: " + url;
    return false;
  }
  t.scheme = parsed->scheme();
  if (t.scheme != "http" && t.scheme != "https") {
    error = "unsupported scheme: " + t.scheme;
    return false;
  }
  t.host = parsed->host_address();
  t.port = parsed->has_port() ? std::string(parsed->port())
                              : std::string(t.scheme == "https" ? "443" : "80");
  t.target = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
  if (parsed->has_query()) t.target += "?" + std::string(parsed->encoded_query());
  t.host_header = std::string(parsed->encoded_host_and_port());
  return true;
}

template <typename Stream>
asio::awaitable<void> Exchange(Stream& stream, const Target& t, const HttpRequest& request,
                               std::chrono::milliseconds timeout, HttpResponse& out) {
  http::request<http::empty_body> req{http::verb::get, t.target, 11};
  req.set(http::field::host, t.host_header);
  req.set(http::field::user_agent, "gatehouse-verifier");
  req.set(http::field::accept, "application/json");
  if (!request.bearer.empty()) req.set(http::field::authorization, "Bearer " + request.bearer);
  req.keep_alive(false);
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
  auto& res = parser.get();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = std::move(res.body());
  out.status = static_cast<int>(res.result_int());
}

asio::awaitable<void> Run(const Target& t, const HttpRequest& request,
                          const HttpFetcherOptions& options, HttpResponse& out) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(t.host, t.port, kNoThrow);
  if (resolve_ec) {
    out.error = resolve_ec.message();
    co_return;
  }
  if (t.scheme == "http") {
    beast::tcp_stream stream(executor);
    stream.expires_after(options.timeout);
    auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, kNoThrow);
    (void)endpoint;
    if (connect_ec) {
      out.error = connect_ec.message();
      co_return;
    }
    co_await Exchange(stream, t, request, options.timeout, out);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return;
  }
  ssl::context ctx(ssl::context::tls_client);
  boost::system::error_code ec;
  ctx.set_verify_mode(ssl::verify_peer, ec);
  if (!ec) {
    if (!options.ca_file.empty()) {
      ctx.load_verify_file(options.ca_file, ec);
    } else {
      ctx.set_default_verify_paths(ec);
    }
  }
  if (ec) {
    out.error = "TLS setup: " + ec.message();
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream(executor, ctx);
  // RFC 6125 name checks are OpenSSL's: DNS names against SAN dNSNames, IP literals against
  // SAN iPAddresses; SNI carries names only (RFC 6066 §3).
  asio::ip::make_address(t.host, ec);
  const bool bound =
      !ec ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(stream.native_handle()), t.host.c_str()) ==
                1
          : SSL_set1_host(stream.native_handle(), t.host.c_str()) == 1 &&
                SSL_set_tlsext_host_name(stream.native_handle(), t.host.c_str()) == 1;
  if (!bound) {
    out.error = "TLS setup: cannot bind the server name " + t.host;
    co_return;
  }
  beast::get_lowest_layer(stream).expires_after(options.timeout);
  auto [connect_ec, endpoint] =
      co_await beast::get_lowest_layer(stream).async_connect(endpoints, kNoThrow);
  (void)endpoint;
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
  co_await Exchange(stream, t, request, options.timeout, out);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(kNoThrow);
}

class BeastFetcher final : public HttpFetcher {
 public:
  explicit BeastFetcher(HttpFetcherOptions options) : options_(std::move(options)) {}

  HttpResponse Get(const HttpRequest& request) override {
    HttpResponse out;
    Target t;
    if (!ParseUrl(request.url, t, out.error)) return out;
    asio::io_context ioc;
    std::exception_ptr failure;
    asio::co_spawn(ioc, Run(t, request, options_, out),
                   [&failure](std::exception_ptr e) { failure = e; });
    try {
      ioc.run();
    } catch (const std::exception& e) {
      out.error = e.what();
    }
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        out.error = e.what();
      } catch (...) {
        out.error = "unknown failure";
      }
      out.status = 0;
    }
    if (out.status == 0 && out.error.empty()) out.error = "no answer";
    return out;
  }

 private:
  const HttpFetcherOptions options_;
};

}  // namespace

std::shared_ptr<HttpFetcher> MakeHttpFetcher(const HttpFetcherOptions& options) {
  return std::make_shared<BeastFetcher>(options);
}

}  // namespace gatehouse::verifier
