// Remote mode: every verification asks the issuer's verify endpoint, so a revoked token or a
// disabled client is refused at once. Positive answers are cached for a short, bounded time
// (never past the token's exp) keyed by SHA-256(token, required scopes); refusals are never
// cached, so a token that becomes valid is not held back and a revoked one costs a request.
//
// Thread-safety: Check may be called concurrently.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "gatehouse/clock.h"
#include "gatehouse/http_fetcher.h"
#include "gatehouse/verify_result.h"

namespace gatehouse::verifier::internal {

class RemoteChecker {
 public:
  RemoteChecker(std::string issuer, std::string audience, std::chrono::milliseconds cache_ttl,
                std::size_t cache_entries, HttpFetcher& fetcher, const Clock& clock);

  // REQUIRES: `token` is a b64token (internal::IsB64Token).
  VerifyResult Check(std::string_view token, std::string_view required_scopes);
  bool Prefetch(std::string* error);

 private:
  using TimePoint = std::chrono::system_clock::time_point;
  struct Entry {
    Claims claims;
    TimePoint until;
  };
  // The verify endpoint from the metadata, fetched once; "" with `error` set on failure.
  std::string Endpoint(std::string* error);
  void Remember(std::string key, const Claims& claims, TimePoint now);

  const std::string issuer_;
  const std::string audience_;
  const std::chrono::milliseconds cache_ttl_;
  const std::size_t cache_entries_;
  HttpFetcher& fetcher_;
  const Clock& clock_;

  std::mutex mu_;
  std::string endpoint_;                          // guarded by mu_
  std::unordered_map<std::string, Entry> cache_;  // guarded by mu_
};

}  // namespace gatehouse::verifier::internal
