#include "crypto/access_token.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "common/check.h"
#include "crypto/alg.h"
#include "crypto/jws.h"

namespace gatehouse::crypto {
namespace {

using Verdict = std::expected<AccessTokenClaims, VerifyFailure>;

std::unexpected<VerifyFailure> Reject(VerifyFailure failure) {
  return std::unexpected<VerifyFailure>(failure);
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return out;
}

std::optional<std::string> StringClaim(const boost::json::object& obj, std::string_view name) {
  const boost::json::value* v = obj.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

// RFC 7519 §2 allows fractional NumericDates; we issue and accept integers only.
std::optional<int64_t> IntegerClaim(const boost::json::object& obj, std::string_view name) {
  const boost::json::value* v = obj.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->get_uint64());
  }
  return std::nullopt;
}

// RFC 7519 §4.1.3: a single string or an array of strings.
std::optional<std::vector<std::string>> AudienceClaim(const boost::json::object& obj) {
  const boost::json::value* v = obj.if_contains("aud");
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return std::vector<std::string>{std::string(v->get_string())};
  if (!v->is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const boost::json::value& item : v->get_array()) {
    if (!item.is_string()) return std::nullopt;
    out.emplace_back(item.get_string());
  }
  return out;
}

// Header checks up to and including the signature. Returns the key's kid on success.
std::expected<std::string, VerifyFailure> CheckHeaderAndSignature(const ParsedJws& jws,
                                                                  const KeyLookup& keys) {
  const boost::json::object& header = jws.header;
  // RFC 7515 §4.1.11: we implement no extensions, so any critical one makes the token invalid.
  if (header.contains("crit")) return Reject(VerifyFailure::kMalformed);
  const boost::json::value* kid = header.if_contains("kid");
  if (kid == nullptr) return Reject(VerifyFailure::kMissingKid);
  if (!kid->is_string()) return Reject(VerifyFailure::kMalformed);
  if (kid->get_string().empty()) return Reject(VerifyFailure::kMissingKid);
  const PublicKey* key = keys.Find(std::string_view(kid->get_string()));
  if (key == nullptr) return Reject(VerifyFailure::kUnknownKid);

  const boost::json::value* alg_value = header.if_contains("alg");
  if (alg_value == nullptr) return Reject(VerifyFailure::kUnsupportedAlg);
  if (!alg_value->is_string()) return Reject(VerifyFailure::kMalformed);
  std::optional<Alg> alg = ParseAlg(std::string_view(alg_value->get_string()));
  if (!alg) return Reject(VerifyFailure::kUnsupportedAlg);
  // RFC 8725 §3.1: the key's algorithm is the only one it verifies; the header merely has to
  // agree. This is what stops RS256->HS256 and ES256/RS256 confusion.
  if (*alg != key->alg()) return Reject(VerifyFailure::kAlgMismatch);

  const boost::json::value* typ = header.if_contains("typ");
  if (typ == nullptr) return Reject(VerifyFailure::kWrongType);
  if (!typ->is_string()) return Reject(VerifyFailure::kMalformed);
  std::string_view typ_view(typ->get_string());
  if (!EqualsIgnoreAsciiCase(typ_view, "at+jwt") &&
      !EqualsIgnoreAsciiCase(typ_view, "application/at+jwt")) {
    return Reject(VerifyFailure::kWrongType);  // RFC 9068 §4: stops ID tokens being replayed
  }
  if (!key->Verify(jws.signing_input, jws.signature)) {
    return Reject(VerifyFailure::kBadSignature);
  }
  return std::string(kid->get_string());
}

}  // namespace

std::string_view VerifyFailureName(VerifyFailure failure) {
  switch (failure) {
    case VerifyFailure::kMalformed:
      return "malformed";
    case VerifyFailure::kMissingKid:
      return "missing_kid";
    case VerifyFailure::kUnknownKid:
      return "unknown_kid";
    case VerifyFailure::kUnsupportedAlg:
      return "unsupported_alg";
    case VerifyFailure::kAlgMismatch:
      return "alg_mismatch";
    case VerifyFailure::kWrongType:
      return "wrong_type";
    case VerifyFailure::kBadSignature:
      return "bad_signature";
    case VerifyFailure::kExpired:
      return "expired";
    case VerifyFailure::kIssuedInFuture:
      return "issued_in_future";
    case VerifyFailure::kNotYetValid:
      return "not_yet_valid";
    case VerifyFailure::kWrongIssuer:
      return "wrong_issuer";
    case VerifyFailure::kWrongAudience:
      return "wrong_audience";
    case VerifyFailure::kMissingClaim:
      return "missing_claim";
  }
  return "unknown";
}

bool AccessTokenClaims::HasAudience(std::string_view audience) const {
  return std::find(aud.begin(), aud.end(), audience) != aud.end();
}

bool AccessTokenClaims::HasScope(std::string_view wanted) const {
  if (wanted.empty()) return false;
  std::string_view rest = scope;
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    if (rest.substr(0, space) == wanted) return true;
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return false;
}

namespace {

// Stage one: everything that depends only on the token's bytes and the key (parse, header,
// signature, claim presence and types). Its result may be cached by the token's bytes.
std::expected<VerifiedTokenCache::Entry, VerifyFailure> VerifySigned(std::string_view token,
                                                                     const KeyLookup& keys) {
  Result<ParsedJws> jws = ParseCompactJws(token);
  if (!jws) return Reject(VerifyFailure::kMalformed);
  std::expected<std::string, VerifyFailure> kid = CheckHeaderAndSignature(*jws, keys);
  if (!kid) return Reject(kid.error());

  // Only now, with the signature checked, is the payload worth reading.
  boost::json::object& payload = jws->payload;
  VerifiedTokenCache::Entry entry;
  AccessTokenClaims& claims = entry.claims;
  entry.key = keys.Find(*kid);
  claims.kid = std::move(*kid);
  auto iss = StringClaim(payload, "iss");
  auto sub = StringClaim(payload, "sub");
  auto client_id = StringClaim(payload, "client_id");
  auto jti = StringClaim(payload, "jti");
  auto aud = AudienceClaim(payload);
  auto exp = IntegerClaim(payload, "exp");
  auto iat = IntegerClaim(payload, "iat");
  if (!iss || !sub || !client_id || !jti || !aud || !exp || !iat) {
    return Reject(VerifyFailure::kMissingClaim);
  }
  if (payload.contains("nbf")) {
    entry.nbf = IntegerClaim(payload, "nbf");
    if (!entry.nbf) return Reject(VerifyFailure::kMissingClaim);
  }
  if (const boost::json::value* scope = payload.if_contains("scope")) {
    if (!scope->is_string()) return Reject(VerifyFailure::kMissingClaim);
    claims.scope = std::string(scope->get_string());
  }
  claims.iss = std::move(*iss);
  claims.sub = std::move(*sub);
  claims.client_id = std::move(*client_id);
  claims.jti = std::move(*jti);
  claims.aud = std::move(*aud);
  claims.iat = *iat;
  claims.exp = *exp;
  claims.raw = std::move(payload);
  return entry;
}

// Stage two: what depends on the moment and on the caller's expectations, checked every time.
std::optional<VerifyFailure> CheckExpectations(const VerifiedTokenCache::Entry& entry,
                                               const VerifyExpectations& want) {
  const AccessTokenClaims& claims = entry.claims;
  if (claims.exp <= SaturatingAdd(want.now, -want.leeway)) return VerifyFailure::kExpired;
  const int64_t latest = SaturatingAdd(want.now, want.leeway);
  if (claims.iat > latest) return VerifyFailure::kIssuedInFuture;
  if (entry.nbf && *entry.nbf > latest) return VerifyFailure::kNotYetValid;
  if (claims.iss != want.issuer) return VerifyFailure::kWrongIssuer;
  if (want.audience.empty() || !claims.HasAudience(want.audience)) {
    return VerifyFailure::kWrongAudience;
  }
  return std::nullopt;
}

}  // namespace

Verdict VerifyAccessToken(std::string_view token, const KeyLookup& keys,
                          const VerifyExpectations& want) {
  GH_CHECK(want.leeway >= 0);
  auto entry = VerifySigned(token, keys);
  if (!entry) return Reject(entry.error());
  if (auto failure = CheckExpectations(*entry, want)) return Reject(*failure);
  return std::move(entry->claims);
}

VerifiedTokenCache::VerifiedTokenCache(std::size_t capacity) : capacity_(capacity) {
  GH_CHECK(capacity_ > 0);
}

Verdict VerifyAccessToken(std::string_view token, const KeyLookup& keys,
                          const VerifyExpectations& want, VerifiedTokenCache& cache) {
  GH_CHECK(want.leeway >= 0);
  auto it = cache.entries_.find(token);
  // A hit counts only while the very key object that verified it is still published under
  // that kid: a rotated-out key, or a new snapshot, means verifying again.
  if (it != cache.entries_.end() && keys.Find(it->second.claims.kid) != it->second.key) {
    cache.entries_.erase(it);
    it = cache.entries_.end();
  }
  if (it == cache.entries_.end()) {
    auto entry = VerifySigned(token, keys);
    if (!entry) return Reject(entry.error());
    if (cache.entries_.size() >= cache.capacity_) cache.entries_.clear();
    it = cache.entries_.emplace(std::string(token), std::move(*entry)).first;
  }
  if (auto failure = CheckExpectations(it->second, want)) return Reject(*failure);
  return it->second.claims;
}

}  // namespace gatehouse::crypto
