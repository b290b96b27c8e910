// Strict verification of RFC 9068 JWT access tokens, shared by the verify endpoint,
// introspection and the public verification library. Depends only on src/common and src/crypto.
//
// VerifyAccessToken returns the claims only if every check below passes, else the first failure,
// checked in this order (RFC 8725 §3; stricter than jwt_verify_lib):
//   kMalformed       not a compact JWS (see ParseCompactJws), or header "crit" present (we
//                    understand no extensions, RFC 7515 §4.1.11); also a non-string kid, alg or
//                    typ, reported when that member is checked
//   kMissingKid      no (or empty) header "kid": we never try every key
//   kUnknownKid      keys.Find(kid) is null
//   kUnsupportedAlg  header "alg" missing or not ES256/EdDSA/RS256/PS256 ("none", HS256, ...)
//   kAlgMismatch     header "alg" differs from the key's own alg: the key decides
//   kWrongType       header "typ" is not "at+jwt" / "application/at+jwt" (RFC 9068 §4; media
//                    types compare case-insensitively, RFC 7515 §4.1.9)
//   kBadSignature    signature does not verify
//   kMissingClaim    iss, sub, client_id, jti (strings), aud (string or array of strings),
//                    exp, iat (integers) absent or of the wrong type; scope/nbf of the wrong type
//   kExpired         exp <= now - leeway (a token whose exp == now is expired)
//   kIssuedInFuture  iat > now + leeway
//   kNotYetValid     nbf present and nbf > now + leeway
//   kWrongIssuer     iss != want.issuer, byte for byte (no trailing-slash or case games)
//   kWrongAudience   want.audience empty (empty means deny), or not among aud exactly
// Callers show all of these as invalid_token; the precise reason is for logs, audit and tests.
//
// Thread-safety: a pure function; safe to call concurrently if keys.Find is.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "crypto/public_key.h"

namespace gatehouse::crypto {

enum class VerifyFailure {
  kMalformed,
  kMissingKid,
  kUnknownKid,
  kUnsupportedAlg,
  kAlgMismatch,
  kWrongType,
  kBadSignature,
  kExpired,
  kIssuedInFuture,
  kNotYetValid,
  kWrongIssuer,
  kWrongAudience,
  kMissingClaim,
};

// snake_case name for logs and audit, e.g. "alg_mismatch".
std::string_view VerifyFailureName(VerifyFailure failure);

struct AccessTokenClaims {
  std::string kid;  // from the header: the key that signed
  std::string iss;
  std::string sub;
  std::string client_id;
  std::string jti;
  std::string scope;  // space-separated (RFC 9068 §2.2.3), empty if absent
  std::vector<std::string> aud;
  int64_t iat = 0;
  int64_t exp = 0;
  boost::json::object raw;  // the whole payload

  bool HasAudience(std::string_view audience) const;
  // Exact match of one space-separated scope token; false for an empty `scope`.
  bool HasScope(std::string_view scope) const;
};

// Where verification keys come from. Implementations own the keys; a returned pointer must stay
// valid for the duration of the VerifyAccessToken call.
class KeyLookup {
 public:
  virtual ~KeyLookup() = default;
  virtual const PublicKey* Find(std::string_view kid) const = 0;
};

struct VerifyExpectations {
  std::string_view issuer;
  std::string_view audience;
  int64_t now = 0;     // Unix seconds
  int64_t leeway = 0;  // seconds of clock skew tolerated; REQUIRES: >= 0
};

std::expected<AccessTokenClaims, VerifyFailure> VerifyAccessToken(std::string_view token,
                                                                  const KeyLookup& keys,
                                                                  const VerifyExpectations& want);

// Tokens whose header, signature and claim types already checked out, by their exact bytes, so
// that a token presented again costs a lookup instead of a signature verification (Envoy
// jwt_authn's per-thread JwtCache). The checks that depend on the moment or on the caller
// (exp, iat, nbf, iss, aud) run on every call, and an entry counts only while keys.Find(kid)
// still returns the very key object that verified it. Bounded: emptied when full.
//
// Thread-safety: none; keep one per thread (thread_local).
class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(std::size_t capacity);
  std::size_t size() const { return entries_.size(); }

  struct Entry {
    const PublicKey* key = nullptr;
    AccessTokenClaims claims;
    std::optional<int64_t> nbf;
  };

 private:
  friend std::expected<AccessTokenClaims, VerifyFailure> VerifyAccessToken(
      std::string_view, const KeyLookup&, const VerifyExpectations&, VerifiedTokenCache&);
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
  std::size_t capacity_;
};

// The same checks and results as above, with `cache` sparing the signature of a token seen
// before.
std::expected<AccessTokenClaims, VerifyFailure> VerifyAccessToken(std::string_view token,
                                                                  const KeyLookup& keys,
                                                                  const VerifyExpectations& want,
                                                                  VerifiedTokenCache& cache);

}  // namespace gatehouse::crypto
