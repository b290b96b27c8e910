// Seam for the network in the verification library.
//
// The verifier makes only GET requests: the issuer's RFC 8414 metadata, its JWKS, and (remote
// mode) the verify endpoint with the token as a bearer credential.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

namespace gatehouse::verifier {

struct HttpRequest {
  std::string url{};     // absolute http:// or https:// URL, query already encoded
  std::string bearer{};  // sent as "Authorization: Bearer <bearer>" when not empty
};

struct HttpResponse {
  int status = 0;                                // 0: no answer at all, see `error`
  std::map<std::string, std::string> headers{};  // names lower-cased
  std::string body{};
  std::string error{};  // why there is no answer ("Connection refused", "timed out", ...)
};

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;
  // Any answer, whatever its status, is returned with that status; a transport failure is
  // status 0 with `error` set. Never throws.
  // REQUIRES: thread-safe; one verifier calls it from many threads.
  virtual HttpResponse Get(const HttpRequest& request) = 0;
};

struct HttpFetcherOptions {
  // Bounds each step (resolve+connect, write, read) of one request.
  std::chrono::milliseconds timeout{5000};
  // PEM bundle to trust for https instead of the system trust store (a private CA).
  std::string ca_file{};
};

// Boost.Beast over plain TCP or TLS (peer certificate and host name always verified). One new
// connection per request. Thread-safe.
std::shared_ptr<HttpFetcher> MakeHttpFetcher(const HttpFetcherOptions& options = {});

}  // namespace gatehouse::verifier
