#include "verifier/remote_checker.h"

#include <openssl/evp.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "verifier/internal.h"

namespace gatehouse::verifier::internal {
namespace {

constexpr std::chrono::milliseconds kMaxCacheTtl{30000};

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

// A digest, not the token, is the key: the cache holds no bearer credentials, and a
// collision cannot be engineered to borrow another token's answer.
std::string CacheKey(std::string_view token, std::string_view scopes) {
  std::string input(token);
  input += '\n';
  input += scopes;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string ErrorDescription(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const auto* d = v.get_object().if_contains("error_description");
  return d != nullptr && d->is_string() ? std::string(d->get_string()) : std::string();
}

}  // namespace

RemoteChecker::RemoteChecker(std::string issuer, std::string audience,
                             std::chrono::milliseconds cache_ttl, std::size_t cache_entries,
                             HttpFetcher& fetcher, const Clock& clock)
    : issuer_(std::move(issuer)),
      audience_(std::move(audience)),
      cache_ttl_(std::clamp(cache_ttl, std::chrono::milliseconds(0), kMaxCacheTtl)),
      cache_entries_(cache_entries),
      fetcher_(fetcher),
      clock_(clock) {}

std::string RemoteChecker::Endpoint(std::string* error) {
  {
    std::lock_guard lock(mu_);
    if (!endpoint_.empty()) return endpoint_;
  }
  auto metadata = FetchMetadata(fetcher_, issuer_);
  if (!metadata) {
    *error = metadata.error();
    return {};
  }
  if (metadata->verify_endpoint.empty()) {
    *error = "metadata has no verify_endpoint";
    return {};
  }
  std::lock_guard lock(mu_);
  endpoint_ = metadata->verify_endpoint;
  return endpoint_;
}

bool RemoteChecker::Prefetch(std::string* error) {
  std::string why;
  const bool ok = !Endpoint(&why).empty();
  if (!ok && error != nullptr) *error = why;
  return ok;
}

void RemoteChecker::Remember(std::string key, const Claims& claims, TimePoint now) {
  if (cache_ttl_.count() == 0 || cache_entries_ == 0 || key.empty()) return;
  const TimePoint until =
      std::min(now + cache_ttl_, TimePoint(std::chrono::seconds(claims.expires_at)));
  if (until <= now) return;
  std::lock_guard lock(mu_);
  if (cache_.size() >= cache_entries_) {
    std::erase_if(cache_, [now](const auto& kv) { return kv.second.until <= now; });
    if (cache_.size() >= cache_entries_) cache_.clear();  // bounded memory beats hit rate
  }
  cache_.insert_or_assign(std::move(key), Entry{claims, until});
}

VerifyResult RemoteChecker::Check(std::string_view token, std::string_view required_scopes) {
  const TimePoint now = clock_.Now();
  std::string key = cache_ttl_.count() > 0 ? CacheKey(token, required_scopes) : std::string();
  if (!key.empty()) {
    std::lock_guard lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      if (now < it->second.until) {
        VerifyResult r;
        r.outcome = Outcome::kOk;
        r.required_scope = std::string(required_scopes);
        r.claims = it->second.claims;
        return r;
      }
      cache_.erase(it);
    }
  }
  std::string error;
  std::string endpoint = Endpoint(&error);
  if (endpoint.empty()) {
    return Refusal(Outcome::kUnavailable, "verify_endpoint_unavailable", error, required_scopes);
  }
  std::string url = endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") +
                    "audience=" + PercentEncode(audience_);
  if (!required_scopes.empty()) url += "&scope=" + PercentEncode(required_scopes);
  HttpResponse res = fetcher_.Get({url, std::string(token)});
  switch (res.status) {
    case 200: {
      auto claims = ClaimsFromJson(res.body);
      if (!claims) {
        return Refusal(Outcome::kUnavailable, "verify_endpoint_unavailable",
                       "the verify endpoint's answer is not a claims object", required_scopes);
      }
      Remember(std::move(key), *claims, now);
      VerifyResult r;
      r.outcome = Outcome::kOk;
      r.required_scope = std::string(required_scopes);
      r.claims = std::move(*claims);
      return r;
    }
    case 401: {
      std::string description = ErrorDescription(res.body);
      return Refusal(Outcome::kInvalidToken, "rejected",
                     description.empty() ? "the token is not valid" : description, required_scopes);
    }
    case 403: {
      std::string description = ErrorDescription(res.body);
      return Refusal(Outcome::kInsufficientScope, "insufficient_scope",
                     description.empty() ? "the token lacks a required scope" : description,
                     required_scopes);
    }
    case 0: {
      std::lock_guard lock(mu_);
      endpoint_.clear();  // ask the metadata again: the endpoint may have moved
    }
      return Refusal(Outcome::kUnavailable, "verify_endpoint_unavailable", res.error,
                     required_scopes);
    default:
      return Refusal(Outcome::kUnavailable, "verify_endpoint_unavailable",
                     "the verify endpoint answered HTTP " + std::to_string(res.status),
                     required_scopes);
  }
}

}  // namespace gatehouse::verifier::internal
