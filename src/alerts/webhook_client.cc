#include "alerts/webhook_client.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

namespace gatehouse::alerts {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

template <typename Stream>
PostResult Exchange(Stream& stream, asio::io_context& io, bhttp::request<bhttp::string_body>& req,
                    std::chrono::steady_clock::time_point deadline) {
  PostResult out;
  beast::error_code ec;
  bool done = false;
  bhttp::async_write(stream, req, [&](beast::error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  io.run_until(deadline);
  if (!done) return {0, "timeout writing the request"};
  if (ec) return {0, ec.message()};
  io.restart();
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  done = false;
  bhttp::async_read(stream, buffer, res, [&](beast::error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  io.run_until(deadline);
  if (!done) return {0, "timeout reading the answer"};
  if (ec) return {0, ec.message()};
  out.status = static_cast<int>(res.result_int());
  return out;
}

}  // namespace

PostResult PostJson(const std::string& url, const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    std::chrono::seconds timeout) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return {0, "invalid URL"};
  const bool https = parsed->scheme() == "https";
  const std::string host = std::string(parsed->encoded_host());
  std::string host_name = host;
  if (host_name.size() > 2 && host_name.front() == '[') {
    host_name = host_name.substr(1, host_name.size() - 2);
  }
  const std::string port =
      parsed->has_port() ? std::string(parsed->port()) : (https ? "443" : "80");
  std::string target = std::string(parsed->encoded_path());
  if (target.empty()) target = "/";
  if (parsed->has_query()) target += "?" + std::string(parsed->encoded_query());

  asio::io_context io;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  tcp::resolver resolver(io);
  beast::error_code ec;
  tcp::resolver::results_type endpoints;
  bool resolved = false;
  resolver.async_resolve(host_name, port, [&](beast::error_code e, tcp::resolver::results_type r) {
    ec = e;
    endpoints = std::move(r);
    resolved = true;
  });
  io.run_until(deadline);
  if (!resolved) return {0, "timeout resolving " + host_name};
  if (ec) return {0, "cannot resolve " + host_name + ": " + ec.message()};
  io.restart();

  bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
  req.set(bhttp::field::host, host + (parsed->has_port() ? ":" + port : ""));
  req.set(bhttp::field::user_agent, "Gatehouse-Webhook/1");
  req.set(bhttp::field::content_type, "application/json");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();

  tcp::socket socket(io);
  bool connected = false;
  asio::async_connect(socket, endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    ec = e;
    connected = true;
  });
  io.run_until(deadline);
  if (!connected) return {0, "timeout connecting"};
  if (ec) return {0, "cannot connect: " + ec.message()};
  io.restart();
  if (!https) {
    auto result = Exchange(socket, io, req, deadline);
    socket.shutdown(tcp::socket::shutdown_both, ec);
    return result;
  }
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths(ec);
  tls.set_verify_mode(asio::ssl::verify_peer);
  tls.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                  asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  beast::ssl_stream<tcp::socket> stream(std::move(socket), tls);
  SSL_set_tlsext_host_name(stream.native_handle(), host_name.c_str());
  stream.set_verify_callback(asio::ssl::host_name_verification(host_name));
  bool handshaken = false;
  stream.async_handshake(asio::ssl::stream_base::client, [&](beast::error_code e) {
    ec = e;
    handshaken = true;
  });
  io.run_until(deadline);
  if (!handshaken) return {0, "timeout in the TLS handshake"};
  if (ec) return {0, "TLS handshake failed: " + ec.message()};
  io.restart();
  return Exchange(stream, io, req, deadline);
}

}  // namespace gatehouse::alerts
