#include "verifier/key_cache.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <set>

#include "verifier/internal.h"

namespace gatehouse::verifier::internal {

const crypto::PublicKey* KeySet::Find(std::string_view kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

std::expected<std::shared_ptr<const KeySet>, std::string> ParseJwks(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  const boost::json::value* keys = nullptr;
  if (!ec && v.is_object()) keys = v.get_object().if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return std::unexpected("JWKS: no \"keys\" array");
  std::map<std::string, crypto::PublicKey, std::less<>> parsed;
  std::set<std::string> duplicated;
  for (const auto& jwk : keys->get_array()) {
    if (!jwk.is_object()) continue;
    auto key = crypto::PublicKey::FromJwk(jwk.get_object());
    if (!key) continue;  // an algorithm we do not know must not hide the keys we do
    std::string kid = key->kid();
    if (!parsed.emplace(kid, std::move(*key)).second) duplicated.insert(kid);
  }
  for (const auto& kid : duplicated) parsed.erase(kid);
  if (parsed.empty()) return std::unexpected("JWKS: no usable key");
  return std::make_shared<const KeySet>(std::move(parsed));
}

KeyCache::KeyCache(std::string issuer, KeyCacheOptions options, HttpFetcher& fetcher,
                   const Clock& clock)
    : issuer_(std::move(issuer)), options_(options), fetcher_(fetcher), clock_(clock) {}

bool KeyCache::Usable(TimePoint now) const {
  return keys_ != nullptr && now < fetched_at_ + options_.max_stale;
}

bool KeyCache::AttemptAllowed(TimePoint now) const {
  return !last_attempt_ || now - *last_attempt_ >= options_.min_refetch_interval ||
         now < *last_attempt_;  // the clock went back: do not stay locked out
}

std::shared_ptr<const KeySet> KeyCache::Current(std::string* error) {
  const TimePoint now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    if (keys_ != nullptr && now < fresh_until_) return keys_;
    // Stale but usable: one thread refreshes, the others carry on with what we have.
    if (Usable(now) && !AttemptAllowed(now)) return keys_;
    // Nothing usable: wait below for a fetch that may be in flight (the first one, on a cold
    // cache) rather than fail while it runs; the re-check after the lock applies the rate limit.
  }
  std::unique_lock fetch_lock(fetch_mu_, std::defer_lock);
  bool stale_usable = false;
  {
    std::lock_guard lock(mu_);
    stale_usable = Usable(now);
  }
  if (stale_usable) {
    if (!fetch_lock.try_lock()) {
      std::lock_guard lock(mu_);
      return keys_;
    }
  } else {
    fetch_lock.lock();
  }
  {
    // Another thread may have fetched while we waited.
    std::lock_guard lock(mu_);
    if (keys_ != nullptr && now < fresh_until_) return keys_;
    if (!AttemptAllowed(now)) {
      if (Usable(now)) return keys_;
      if (error != nullptr) *error = last_error_;
      return nullptr;
    }
  }
  std::string fetch_error;
  Fetch(now, &fetch_error);
  std::lock_guard lock(mu_);
  if (Usable(now)) return keys_;
  if (error != nullptr) *error = last_error_;
  return nullptr;
}

std::shared_ptr<const KeySet> KeyCache::RefetchForUnknownKid(
    const std::shared_ptr<const KeySet>& seen) {
  const TimePoint now = clock_.Now();
  std::lock_guard fetch_lock(fetch_mu_);
  {
    std::lock_guard lock(mu_);
    if (keys_ != seen && Usable(now)) return keys_;
    if (!AttemptAllowed(now)) return nullptr;
  }
  std::string error;
  if (!Fetch(now, &error)) return nullptr;
  std::lock_guard lock(mu_);
  return keys_;
}

bool KeyCache::Refresh(std::string* error) {
  std::lock_guard fetch_lock(fetch_mu_);
  return Fetch(clock_.Now(), error);
}

bool KeyCache::Fetch(TimePoint now, std::string* error) {
  {
    std::lock_guard lock(mu_);
    last_attempt_ = now;
  }
  auto fail = [&](std::string why) {
    jwks_uri_.clear();  // the metadata may have moved: ask again next time
    std::lock_guard lock(mu_);
    last_error_ = why;
    if (error != nullptr) *error = std::move(why);
    return false;
  };
  if (jwks_uri_.empty()) {
    auto metadata = FetchMetadata(fetcher_, issuer_);
    if (!metadata) return fail(metadata.error());
    if (metadata->jwks_uri.empty()) return fail("metadata has no jwks_uri");
    jwks_uri_ = metadata->jwks_uri;
  }
  HttpResponse res = fetcher_.Get({jwks_uri_, {}});
  if (res.status == 0) return fail("JWKS " + jwks_uri_ + ": " + res.error);
  if (res.status != 200) return fail("JWKS " + jwks_uri_ + ": HTTP " + std::to_string(res.status));
  auto keys = ParseJwks(res.body);
  if (!keys) return fail(keys.error());
  const auto it = res.headers.find("cache-control");
  const auto age =
      CacheLifetime(it == res.headers.end() ? std::string_view() : std::string_view(it->second),
                    options_.default_key_age, options_.min_refetch_interval, options_.max_key_age);
  std::lock_guard lock(mu_);
  keys_ = std::move(*keys);
  fetched_at_ = now;
  fresh_until_ = now + age;
  last_error_.clear();
  return true;
}

}  // namespace gatehouse::verifier::internal
