#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/result.h"
#include "http/router.h"
#include "metrics/metrics.h"
#include "ratelimit/source_ip.h"

namespace gatehouse::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  int io_threads = 0;        // 0: one per core
  int blocking_threads = 4;  // management work (SQLite, argon2id)
  std::size_t body_limit = 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::seconds idle_timeout{60};      // waiting for (the headers of) the next request
  std::chrono::seconds request_timeout{30};   // reading one request body
  std::chrono::seconds shutdown_grace{10};    // in-flight requests may finish within this
  metrics::Metrics* metrics = nullptr;        // per-route counters and latency, when set
  ratelimit::TrustedProxies trusted_proxies;  // whose X-Forwarded-For we believe
  std::string tls_cert;  // PEM chain; with tls_key, the server speaks only HTTPS
  std::string tls_key;
};

// Boost.Beast HTTP/1.1 server: one io_context per thread, keep-alive, a body limit answered
// with a 413 the client really receives (we stop sending, then drain what it still sends
// before closing, so no RST overtakes the answer), header/idle and body timeouts, and graceful
// shutdown on SIGTERM/SIGINT: stop accepting, close idle connections, let in-flight requests
// finish (up to shutdown_grace), then return from Run().
class Server {
 public:
  Server(ServerOptions options, Router router);
  ~Server();

  // Binds the listening socket. Port 0 picks a free port; see port() afterwards.
  Status Listen();
  uint16_t port() const;
  // Serves until a signal (or Stop()) and the drain are done; SIGTERM and SIGINT are ignored
  // from then on, so that the caller can finish its shutdown. REQUIRES: Listen() succeeded.
  void Run();
  // Starts a graceful shutdown; thread-safe.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A request id accepted from the client when it is short and plain, otherwise a new one.
std::string RequestIdFor(std::string_view incoming);

}  // namespace gatehouse::http
