// Orders API: a small service protected by Gatehouse's verification library.
//
//   GET  /orders  needs read:orders   -> 200 the orders
//   POST /orders  needs write:orders  -> 201 the new order
//   GET  /healthz                     -> 200 (no token)
// Refusals are RFC 6750: 401 invalid_token / 403 insufficient_scope with WWW-Authenticate,
// 503 when Gatehouse's keys cannot be had.
//
//   orders_api --listen 127.0.0.1:9000 --issuer http://127.0.0.1:8080/oauth/acme/production
//              --audience https://orders.example [--mode local|remote] [--cache-ms 5000]
// --cache-ms bounds remote mode's positive cache (0: every request asks Gatehouse, so a
// revocation takes effect on the very next request).
//
// One Verifier is shared by every connection thread. Synchronous Beast, one thread per
// connection, receive timeout by SO_RCVTIMEO: enough for an example, not a production server.
#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gatehouse/verifier.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
namespace gv = gatehouse::verifier;

struct Orders {
  std::mutex mu;
  std::vector<std::string> items{R"({"id":1,"item":"coffee beans","quantity":2})"};
  int next_id = 2;
};

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) >= 0x20) {
      out += c;
    }
  }
  return out;
}

http::response<http::string_body> Reply(const http::request<http::string_body>& req,
                                        http::status status, std::string body) {
  http::response<http::string_body> res{status, req.version()};
  res.set(http::field::content_type, "application/json");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http::response<http::string_body> Handle(const http::request<http::string_body>& req,
                                         const gv::Verifier& verifier, Orders& orders) {
  const std::string_view path = req.target();
  if (path == "/healthz") return Reply(req, http::status::ok, R"({"status":"ok"})");
  if (path != "/orders") return Reply(req, http::status::not_found, R"({"error":"not_found"})");
  const bool write = req.method() == http::verb::post;
  if (!write && req.method() != http::verb::get) {
    return Reply(req, http::status::method_not_allowed, R"({"error":"method_not_allowed"})");
  }
  // The whole integration: one call, then map the outcome to RFC 6750.
  const gv::VerifyResult result = verifier.VerifyAuthorization(
      req[http::field::authorization], write ? "write:orders" : "read:orders");
  if (!result.ok()) {
    std::cerr << "refused " << req.method_string() << " /orders: " << result.reason << "\n";
    auto res = Reply(req, static_cast<http::status>(result.HttpStatus()),
                     std::string(R"({"error":")") + std::string(result.ErrorCode()) +
                         R"(","error_description":")" + JsonEscape(result.description) + "\"}");
    const std::string challenge = gv::BuildWwwAuthenticate(result, "orders");
    if (!challenge.empty()) res.set(http::field::www_authenticate, challenge);
    return res;
  }
  std::lock_guard lock(orders.mu);
  if (write) {
    const std::string order = R"({"id":)" + std::to_string(orders.next_id++) +
                              R"(,"item":"new order","placed_by":")" +
                              JsonEscape(result.claims.client_id) + "\"}";
    orders.items.push_back(order);
    return Reply(req, http::status::created, order);
  }
  std::string body = R"({"client_id":")" + JsonEscape(result.claims.client_id) + R"(","orders":[)";
  for (std::size_t i = 0; i < orders.items.size(); ++i) {
    body += (i ? "," : "") + orders.items[i];
  }
  return Reply(req, http::status::ok, body + "]}");
}

void Serve(tcp::socket socket, const gv::Verifier& verifier, Orders& orders) {
  timeval tv{30, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  beast::flat_buffer buffer;
  for (;;) {
    beast::error_code ec;
    http::request_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    http::read(socket, buffer, parser, ec);
    if (ec) break;
    auto res = Handle(parser.get(), verifier, orders);
    http::write(socket, res, ec);
    if (ec || !res.keep_alive()) break;
  }
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
}

const char* Arg(int argc, char** argv, std::string_view name, const char* fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string listen = Arg(argc, argv, "--listen", "127.0.0.1:9000");
  const std::string issuer = Arg(argc, argv, "--issuer", "");
  const std::string audience = Arg(argc, argv, "--audience", "");
  const std::string mode = Arg(argc, argv, "--mode", "local");
  const long cache_ms = std::atol(Arg(argc, argv, "--cache-ms", "5000"));
  if (issuer.empty() || audience.empty() || listen.find(':') == std::string::npos ||
      (mode != "local" && mode != "remote")) {
    std::cerr << "usage: orders_api --listen HOST:PORT --issuer URL --audience ID "
                 "[--mode local|remote] [--cache-ms N]\n";
    return 2;
  }
  gv::Verifier verifier({.issuer = issuer,
                         .audience = audience,
                         .mode = mode == "remote" ? gv::Mode::kRemote : gv::Mode::kLocal,
                         .remote_cache_ttl = std::chrono::milliseconds(cache_ms)});
  std::string error;
  if (!verifier.Prefetch(&error)) {
    // Not fatal: requests answer 503 until Gatehouse can be reached.
    std::cerr << "warning: cannot reach Gatehouse yet: " << error << "\n";
  }
  Orders orders;
  try {
    asio::io_context ioc;
    const auto colon = listen.rfind(':');
    tcp::acceptor acceptor(
        ioc, {asio::ip::make_address(listen.substr(0, colon)),
              static_cast<unsigned short>(std::atoi(listen.substr(colon + 1).c_str()))});
    std::cout << "orders-api listening on " << listen << " (" << mode << " verification)"
              << std::endl;
    for (;;) {
      tcp::socket socket = acceptor.accept();
      std::thread(Serve, std::move(socket), std::cref(verifier), std::ref(orders)).detach();
    }
  } catch (const std::exception& e) {
    std::cerr << "orders-api: " << e.what() << "\n";
    return 1;
  }
}
