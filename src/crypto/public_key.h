// A JWS verification key bound to exactly one algorithm (RFC 8725 §3.1: the key decides the
// algorithm, never the token).
//
// FromJwk succeeds only for a public JWK whose "alg" is one of ES256/EdDSA/RS256/PS256 and whose
// key type fits it: EC P-256 for ES256, OKP Ed25519 for EdDSA, RSA of 2048..8192 bits for
// RS256/PS256. It fails (kInvalidRequest) on a missing or unsupported kty/alg, a mismatched key
// type or curve, malformed or non-canonical members, a point not on the curve, a "use" other than
// "sig", or any private member ("d", "p", ...): a leaked private key is refused, not used.
//
// Thread-safety: immutable after construction; Verify may be called concurrently.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/alg.h"
#include "crypto/openssl_util.h"

namespace gatehouse::crypto {

class PublicKey {
 public:
  static Result<PublicKey> FromJwk(const boost::json::object& jwk);

  PublicKey(PublicKey&&) noexcept = default;
  PublicKey& operator=(PublicKey&&) noexcept = default;
  PublicKey(const PublicKey&) = delete;
  PublicKey& operator=(const PublicKey&) = delete;
  ~PublicKey() = default;

  Alg alg() const { return alg_; }
  // The JWK's "kid" if it had a non-empty one, else the RFC 7638 thumbprint.
  const std::string& kid() const { return kid_; }
  // RFC 7638 SHA-256 thumbprint, always computed from the key members.
  const std::string& thumbprint() const { return thumbprint_; }
  // The public JWK: required members plus "kid", "alg" and "use": "sig".
  boost::json::object Jwk() const;

  // True iff `signature` is a valid alg() signature of `signing_input`. ES256 signatures must be
  // exactly 64 bytes R||S (RFC 7518 §3.4); everything else is false.
  bool Verify(std::string_view signing_input, std::string_view signature) const;

 private:
  PublicKey(internal::PkeyPtr pkey, Alg alg, std::string kid, std::string thumbprint,
            boost::json::object required_members);

  internal::PkeyPtr pkey_;
  Alg alg_;
  std::string kid_;
  std::string thumbprint_;
  boost::json::object required_members_;
};

}  // namespace gatehouse::crypto
