// Local mode's keys: the issuer's JWKS, fetched through its RFC 8414 metadata and cached.
//
// Policy (see gatehouse/verifier.h): fresh for the JWKS answer's Cache-Control max-age; when
// stale, one thread refetches while the others go on with the cached keys; failed fetches and
// unknown-kid refetches happen at most once per min_refetch_interval; the cached keys are used
// for at most max_stale after the last successful fetch.
//
// Thread-safety: all members may be called concurrently.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "crypto/access_token.h"
#include "crypto/public_key.h"
#include "gatehouse/clock.h"
#include "gatehouse/http_fetcher.h"

namespace gatehouse::verifier::internal {

// One JWKS answer's keys, immutable once published.
class KeySet final : public crypto::KeyLookup {
 public:
  explicit KeySet(std::map<std::string, crypto::PublicKey, std::less<>> keys)
      : keys_(std::move(keys)) {}
  const crypto::PublicKey* Find(std::string_view kid) const override;
  std::size_t size() const { return keys_.size(); }

 private:
  std::map<std::string, crypto::PublicKey, std::less<>> keys_;
};

// Parses {"keys": [...]}. Keys PublicKey::FromJwk refuses, and every key of a kid that
// appears twice, are left out (the key must decide, so an ambiguous kid decides nothing).
// Fails if no usable key remains.
std::expected<std::shared_ptr<const KeySet>, std::string> ParseJwks(std::string_view body);

struct KeyCacheOptions {
  std::chrono::seconds default_key_age{300};
  std::chrono::seconds max_key_age{3600};
  std::chrono::seconds min_refetch_interval{10};
  std::chrono::seconds max_stale{24 * 3600};
};

class KeyCache {
 public:
  KeyCache(std::string issuer, KeyCacheOptions options, HttpFetcher& fetcher, const Clock& clock);

  // Keys usable now, refreshing first when needed; null (with `error`) if there are none.
  std::shared_ptr<const KeySet> Current(std::string* error);
  // After `seen` did not know a token's kid: the keys of one refetch, or null if the rate
  // limit forbids one now (or it failed). Returns newer keys without fetching if another
  // thread already replaced `seen`.
  std::shared_ptr<const KeySet> RefetchForUnknownKid(const std::shared_ptr<const KeySet>& seen);
  // Fetches now regardless of freshness and rate limit (start-up).
  bool Refresh(std::string* error);

 private:
  using TimePoint = std::chrono::system_clock::time_point;
  // REQUIRES: fetch_mu_ held. Records the attempt; publishes the keys on success.
  bool Fetch(TimePoint now, std::string* error);
  bool Usable(TimePoint now) const;          // REQUIRES: mu_ held
  bool AttemptAllowed(TimePoint now) const;  // REQUIRES: mu_ held

  const std::string issuer_;
  const KeyCacheOptions options_;
  HttpFetcher& fetcher_;
  const Clock& clock_;

  std::mutex fetch_mu_;  // one fetch at a time; never held while waiting on mu_ for long
  mutable std::mutex mu_;
  std::shared_ptr<const KeySet> keys_;     // guarded by mu_
  TimePoint fetched_at_{};                 // guarded by mu_: last successful fetch
  TimePoint fresh_until_{};                // guarded by mu_
  std::optional<TimePoint> last_attempt_;  // guarded by mu_
  std::string last_error_;                 // guarded by mu_
  std::string jwks_uri_;                   // guarded by fetch_mu_
};

}  // namespace gatehouse::verifier::internal
