// Gatehouse's verification library: verify RFC 9068 access tokens issued by one Gatehouse
// environment (the issuer) for one API (the audience).
//
//   gatehouse::verifier::Verifier verifier({.issuer = "https://gh.example/oauth/acme/production",
//                                          .audience = "https://orders.example"});
//   auto result = verifier.VerifyAuthorization(request["Authorization"], "read:orders");
//   if (!result.ok()) return Refuse(result.HttpStatus(), BuildWwwAuthenticate(result, realm));
//   Serve(result.claims.client_id);
//
// Local mode (default) fetches {issuer}/.well-known/oauth-authorization-server, then its
// jwks_uri, and verifies signatures in-process with the same checks as the server:
//   - keys are cached for the JWKS answer's Cache-Control max-age (clamped to
//     [min_refetch_interval, max_key_age]; default_key_age when absent);
//   - a token whose kid is unknown triggers one refetch, at most once per min_refetch_interval
//     (so forged kids cannot turn the verifier into a flood against Gatehouse);
//   - when Gatehouse cannot be reached, the last keys stay in use for up to max_stale after
//     the last successful fetch, then verification fails closed (kUnavailable);
//   - the key decides the algorithm; kid and typ at+jwt are required; iss and aud compare
//     exactly; exp/iat/nbf are checked with `leeway`.
// Local mode sees a revocation only when the token expires. Remote mode asks the verify
// endpoint on every request (revocation takes effect at once), caching positive answers for
// at most remote_cache_ttl (default 5 s, clamped to 30 s) and never beyond the token's exp.
//
// Thread-safety: one Verifier may be shared by any number of threads. At most one network
// fetch of keys runs at a time; other threads keep verifying with the cached keys (or wait
// for that fetch when there are none yet).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "gatehouse/claims.h"
#include "gatehouse/clock.h"
#include "gatehouse/http_fetcher.h"
#include "gatehouse/verify_result.h"

namespace gatehouse::verifier {

enum class Mode { kLocal, kRemote };

struct VerifierOptions {
  std::string issuer{};    // the environment's issuer URL, exactly as in its tokens' "iss"
  std::string audience{};  // this API's identifier; tokens for other audiences are refused
  Mode mode = Mode::kLocal;
  std::chrono::seconds leeway{0};  // clock skew tolerated on exp/iat/nbf (local mode)
  std::chrono::seconds default_key_age{300};
  std::chrono::seconds max_key_age{3600};
  std::chrono::seconds min_refetch_interval{10};
  std::chrono::seconds max_stale{24 * 3600};
  std::chrono::milliseconds remote_cache_ttl{5000};  // 0 disables the cache
  std::size_t remote_cache_entries = 10000;
  // Seams; null means MakeHttpFetcher() and SystemClock.
  std::shared_ptr<HttpFetcher> fetcher{};
  std::shared_ptr<const Clock> clock{};
};

class Verifier {
 public:
  // Never fails and does no I/O: keys are fetched on first use (or by Prefetch).
  explicit Verifier(VerifierOptions options);
  ~Verifier();
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;

  // Verifies `token` and checks that it carries every scope in `required_scopes`
  // (space-separated; empty requires none). See VerifyResult for the outcomes.
  VerifyResult Verify(std::string_view token, std::string_view required_scopes = {}) const;
  // Same, from an Authorization header value; a missing or non-Bearer value is
  // kInvalidToken with reason "missing_token".
  VerifyResult VerifyAuthorization(std::string_view authorization,
                                   std::string_view required_scopes = {}) const;

  // Fetches metadata (and in local mode the JWKS) now, e.g. at start-up so that the first
  // request does not wait. False with `error` set if Gatehouse could not be reached.
  bool Prefetch(std::string* error = nullptr);

  const VerifierOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gatehouse::verifier
