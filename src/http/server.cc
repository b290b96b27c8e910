#include "http/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <csignal>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include "common/random.h"

namespace gatehouse::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string RequestIdFor(std::string_view incoming) {
  const bool plain = !incoming.empty() && incoming.size() <= 128 &&
                     std::all_of(incoming.begin(), incoming.end(), [](unsigned char c) {
                       return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
                     });
  return plain ? std::string(incoming) : DefaultRandom().Hex(16);
}

namespace {

struct RequestLog {
  std::string route;
  int metrics_route = -1;
  std::string client_id;
  std::string environment;
  std::string source_ip;
};

// JSON string contents: the few characters that would break the log line are escaped.
std::string JsonEscape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) >= 0x20) {
      out.push_back(c);
    }
  }
  return out;
}

struct Connection {
  // Null once the connection's loop has ended (the stream is about to be destroyed). Read and
  // written only on the connection's executor, whose io_context runs on one thread.
  beast::tcp_stream* stream = nullptr;
  asio::any_io_executor executor;
  std::atomic<bool> busy{false};
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Router router;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  asio::thread_pool blocking;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::atomic<bool> stopping{false};
  std::mutex connections_mutex;
  std::list<std::shared_ptr<Connection>> connections;
  std::atomic<std::size_t> next_context{0};
  std::unique_ptr<asio::ssl::context> tls_context;  // set when serving HTTPS
  std::vector<int> metrics_ids;                     // by route id
  int metrics_static = -1;
  int metrics_unmatched = -1;

  Impl(ServerOptions o, Router r)
      : options(std::move(o)),
        router(std::move(r)),
        blocking(static_cast<std::size_t>(std::max(1, options.blocking_threads))) {
    int n = options.io_threads > 0
                ? options.io_threads
                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < n; ++i) {
      contexts.push_back(std::make_unique<asio::io_context>(1));
      guards.push_back(asio::make_work_guard(*contexts.back()));
    }
    if (options.metrics != nullptr) {
      for (const Route* route : router.Routes()) {
        metrics_ids.push_back(options.metrics->RegisterRoute(
            std::string(bhttp::to_string(route->method)) + " " + route->pattern));
      }
      metrics_static = options.metrics->RegisterRoute("GET static");
      metrics_unmatched = options.metrics->RegisterRoute("unmatched");
    }
  }

  // Connections still suspended after the grace period are destroyed with their io_context;
  // their Registration leaves `connections`, which must therefore outlive the contexts.
  ~Impl() {
    acceptor.reset();  // an I/O object goes before its io_context
    guards.clear();
    contexts.clear();
  }

  Response Dispatch(Request& req, const Route* route) {
    try {
      return route->handler(req);
    } catch (const std::exception& e) {
      spdlog::error("\"msg\":\"handler threw\",\"request_id\":\"{}\",\"what\":\"{}\"}}",
                    req.request_id, e.what());
      return ErrorResponse(Error::Server(e.what()));
    }
  }

  awaitable<Response> Handle(RawRequest& raw, const std::string& peer, RequestLog& log, bool tls) {
    std::string_view target = raw.target();
    auto qpos = target.find('?');
    Request req{raw,
                target.substr(0, qpos),
                qpos == std::string_view::npos ? std::string_view() : target.substr(qpos + 1),
                {},
                peer,
                false,
                RequestIdFor(raw["X-Request-Id"]),
                {},
                false,
                {},
                {}};
    auto source = ratelimit::ResolveSource(peer, raw["X-Forwarded-For"], raw["X-Real-IP"],
                                           options.trusted_proxies);
    req.source_ip = std::move(source.ip);
    req.tls = tls;
    req.forwarded = source.forwarded;
    std::string& route_name = log.route;
    Match match = router.Find(raw.method(), req.path);
    Response res;
    const bool read = raw.method() == bhttp::verb::get || raw.method() == bhttp::verb::head;
    if (match.route == nullptr && match.allowed.empty() && read && router.fallback()) {
      route_name = "static";
      log.metrics_route = metrics_static;
      res = router.fallback()(req);
    } else if (match.route == nullptr) {
      route_name = "unmatched";
      log.metrics_route = metrics_unmatched;
      if (!match.allowed.empty()) {
        res = ErrorResponse(
            Error::Of(ErrorKind::kMethodNotAllowed,
                      "method " + std::string(raw.method_string()) + " is not allowed here"));
        res.set(bhttp::field::allow, AllowHeader(match.allowed));
      } else {
        res = ErrorResponse(Error::NotFound("no such endpoint: " + std::string(req.path)));
      }
    } else {
      route_name = match.route->pattern;
      if (match.route->id >= 0 && static_cast<std::size_t>(match.route->id) < metrics_ids.size()) {
        log.metrics_route = metrics_ids[static_cast<std::size_t>(match.route->id)];
      }
      req.params = std::move(match.params);
      if (match.route->lane == Lane::kInline) {
        res = Dispatch(req, match.route);
      } else {
        res = co_await asio::co_spawn(
            blocking, [&]() -> awaitable<Response> { co_return Dispatch(req, match.route); },
            use_awaitable);
      }
    }
    res.set("X-Request-Id", req.request_id);
    // RFC 6797: browsers (the dashboard) keep to HTTPS for this host from now on.
    if (tls) res.set(bhttp::field::strict_transport_security, "max-age=31536000");
    if (raw.method() == bhttp::verb::head) res.body().clear();
    log.client_id = std::move(req.log_client_id);
    log.environment = std::move(req.log_environment);
    log.source_ip = std::move(req.source_ip);
    co_return res;
  }

  // After an answer that ends the connection while the client may still be sending (413):
  // stop sending, then read and discard for a bounded time, so that the client reads our
  // answer before the socket closes (a close with unread data would send an RST).
  template <typename Stream>
  static awaitable<void> LingeringClose(Stream& stream) {
    auto& tcp_layer = beast::get_lowest_layer(stream);
    beast::error_code ec;
    tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ec);
    std::array<char, 16 * 1024> sink;
    std::size_t drained = 0;
    tcp_layer.expires_after(std::chrono::seconds(2));
    while (drained < 64 * 1024 * 1024) {
      auto [read_ec, n] = co_await tcp_layer.async_read_some(asio::buffer(sink), kTuple);
      if (read_ec) break;
      drained += n;
    }
    tcp_layer.socket().close(ec);
  }

  awaitable<void> Serve(tcp::socket socket) {
    if (!tls_context) {
      beast::tcp_stream stream(std::move(socket));
      co_await Loop(stream, false);
      co_return;
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls_context);
    beast::get_lowest_layer(stream).expires_after(options.request_timeout);
    auto [hs_ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kTuple);
    if (hs_ec) {
      beast::error_code ec;
      beast::get_lowest_layer(stream).socket().close(ec);
      co_return;
    }
    co_await Loop(stream, true);
  }

  template <typename Stream>
  awaitable<void> Loop(Stream& stream, bool tls) {
    auto& tcp_layer = beast::get_lowest_layer(stream);
    auto conn = std::make_shared<Connection>();
    conn->stream = &tcp_layer;
    conn->executor = stream.get_executor();
    // Leaves the list, and forgets the stream, however the loop ends.
    struct Registration {
      Impl& impl;
      std::shared_ptr<Connection> conn;
      std::list<std::shared_ptr<Connection>>::iterator self;
      ~Registration() {
        conn->stream = nullptr;
        std::lock_guard lock(impl.connections_mutex);
        impl.connections.erase(self);
      }
    };
    std::unique_lock registering(connections_mutex);
    Registration registration{*this, conn, connections.insert(connections.end(), conn)};
    registering.unlock();
    beast::error_code ec;
    std::string peer = tcp_layer.socket().remote_endpoint(ec).address().to_string();
    beast::flat_buffer buffer;
    for (;;) {
      if (stopping) break;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(options.body_limit);
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
      tcp_layer.expires_after(options.idle_timeout);
      auto [header_ec, header_n] =
          co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
      // Beast checks a declared Content-Length against the body limit with the headers.
      const bool declared_too_large = header_ec == bhttp::error::body_limit;
      if (header_ec && !declared_too_large) {
        if (header_ec == bhttp::error::header_limit) {
          Response res = ErrorResponse(Error::InvalidRequest("request headers too large"));
          res.keep_alive(false);
          co_await bhttp::async_write(stream, res, kTuple);
        }
        break;
      }
      conn->busy = true;
      const auto started = std::chrono::steady_clock::now();
      bool too_large = declared_too_large;
      if (!too_large) {
        if (parser.get()[bhttp::field::expect] == "100-continue") {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
          co_await bhttp::async_write(stream, cont, kTuple);
        }
        tcp_layer.expires_after(options.request_timeout);
        auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
        if (body_ec == bhttp::error::body_limit) {
          too_large = true;
        } else if (body_ec) {
          break;
        }
      }
      if (too_large) {
        Response res = ErrorResponse(Error::Of(
            ErrorKind::kPayloadTooLarge,
            "request body is larger than " + std::to_string(options.body_limit) + " bytes"));
        res.keep_alive(false);
        res.set("X-Request-Id", RequestIdFor(parser.get()["X-Request-Id"]));
        tcp_layer.expires_after(options.request_timeout);
        co_await bhttp::async_write(stream, res, kTuple);
        co_await LingeringClose(stream);
        break;
      }
      RawRequest raw = parser.release();
      RequestLog log;
      Response res = co_await Handle(raw, peer, log, tls);
      const bool keep = raw.keep_alive() && !stopping;
      res.keep_alive(keep);
      tcp_layer.expires_after(options.request_timeout);
      auto [write_ec, write_n] = co_await bhttp::async_write(stream, res, kTuple);
      const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count();
      if (options.metrics != nullptr) {
        options.metrics->ObserveRequest(log.metrics_route, static_cast<int>(res.result_int()),
                                        static_cast<uint64_t>(micros));
      }
      // Never the target's query, a header value or a body: those may carry secrets.
      spdlog::info(
          "\"msg\":\"request\",\"request_id\":\"{}\",\"method\":\"{}\",\"route\":\"{}\","
          "\"status\":{},\"latency_us\":{},\"peer\":\"{}\",\"source_ip\":\"{}\","
          "\"client_id\":\"{}\",\"environment\":\"{}\"}}",
          JsonEscape(res["X-Request-Id"]), std::string(raw.method_string()), log.route,
          res.result_int(), micros, peer, log.source_ip, JsonEscape(log.client_id),
          log.environment);
      conn->busy = false;
      if (write_ec || !keep) break;
    }
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      // TLS close_notify, bounded: a peer that does not answer does not hold us.
      tcp_layer.expires_after(std::chrono::seconds(2));
      co_await stream.async_shutdown(kTuple);
    }
    tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ec);
    tcp_layer.socket().close(ec);
  }

  awaitable<void> Accept() {
    for (;;) {
      auto& target = *contexts[next_context++ % contexts.size()];
      auto [ec, socket] = co_await acceptor->async_accept(target.get_executor(), kTuple);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        continue;  // e.g. EMFILE: keep serving the connections we have
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(target, Serve(std::move(socket)), asio::detached);
    }
  }

  // Runs on the connection's executor: the loop may have ended (and its stream gone) between
  // the post and now.
  static void CancelIfOpen(Connection& c) {
    if (c.stream != nullptr) c.stream->cancel();
  }

  void BeginShutdown() {
    if (stopping.exchange(true)) return;
    asio::post(*contexts[0], [this] {
      beast::error_code ec;
      acceptor->close(ec);
    });
    std::lock_guard lock(connections_mutex);
    for (auto& c : connections) {
      if (!c->busy) {
        asio::post(c->executor, [c] { CancelIfOpen(*c); });
      }
    }
  }

  awaitable<void> Drain() {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto deadline = std::chrono::steady_clock::now() + options.shutdown_grace;
    for (;;) {
      {
        std::lock_guard lock(connections_mutex);
        if (connections.empty() || std::chrono::steady_clock::now() >= deadline) break;
        for (auto& c : connections) {
          if (!c->busy) asio::post(c->executor, [c] { CancelIfOpen(*c); });
        }
      }
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(kTuple);
    }
    for (auto& g : guards) g.reset();
    for (auto& ctx : contexts) ctx->stop();
  }
};

Server::Server(ServerOptions options, Router router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}

Server::~Server() { impl_->blocking.join(); }

Status Server::Listen() {
  if (!impl_->options.tls_cert.empty()) {
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    // TLS 1.2 and 1.3 only; for 1.2, forward-secret AEAD suites only (TLS 1.3's are all so).
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    SSL_CTX_set_options(ctx->native_handle(),
                        SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_cipher_list(ctx->native_handle(),
                            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                            "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                            "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
    beast::error_code tls_ec;
    ctx->use_certificate_chain_file(impl_->options.tls_cert, tls_ec);
    if (tls_ec) {
      return Fail(Error::Server("tls_cert: cannot load " + impl_->options.tls_cert + ": " +
                                tls_ec.message()));
    }
    ctx->use_private_key_file(impl_->options.tls_key, asio::ssl::context::pem, tls_ec);
    if (tls_ec) {
      return Fail(Error::Server("tls_key: cannot load " + impl_->options.tls_key + ": " +
                                tls_ec.message()));
    }
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
      return Fail(Error::Server("tls_key: does not match the certificate in tls_cert"));
    }
    impl_->tls_context = std::move(ctx);
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return Fail(Error::Server("invalid listen address " + impl_->options.host));
  tcp::endpoint endpoint(address, impl_->options.port);
  auto acceptor = std::make_unique<tcp::acceptor>(*impl_->contexts[0]);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(Error::Server("cannot listen on " + impl_->options.host + ":" +
                              std::to_string(impl_->options.port) + ": " + ec.message()));
  }
  impl_->acceptor = std::move(acceptor);
  return {};
}

uint16_t Server::port() const { return impl_->acceptor->local_endpoint().port(); }

void Server::Run() {
  {
    asio::signal_set signals(*impl_->contexts[0], SIGINT, SIGTERM);
    signals.async_wait([this](const beast::error_code& ec, int) {
      if (!ec) Stop();
    });
    asio::co_spawn(*impl_->contexts[0], impl_->Accept(), asio::detached);
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < impl_->contexts.size(); ++i) {
      threads.emplace_back([ctx = impl_->contexts[i].get()] { ctx->run(); });
    }
    impl_->contexts[0]->run();
    for (auto& t : threads) t.join();
  }
  // Stopping already: a second SIGTERM or Ctrl-C must not cut short what follows (the audit
  // trail's last batch, the log's last lines). SIGKILL still ends the process at once.
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGTERM, SIG_IGN);
}

void Server::Stop() {
  impl_->BeginShutdown();
  asio::co_spawn(*impl_->contexts[0], impl_->Drain(), asio::detached);
}

}  // namespace gatehouse::http
