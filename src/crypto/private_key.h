// A JWS signing key bound to one algorithm; its kid is the RFC 7638 thumbprint of its public
// half.
//
// Generate: ES256 -> P-256, EdDSA -> Ed25519, RS256/PS256 -> RSA 2048; kServerError only if
// OpenSSL fails. FromPkcs8Der parses an unencrypted PKCS#8 PrivateKeyInfo (callers store it
// sealed, see key_sealer.h) and fails (kInvalidRequest) on malformed DER, trailing bytes or a key
// that does not fit the Alg (wrong type or curve, RSA under 2048 bits). ToPkcs8Der returns secret
// bytes: seal them before storage, never log them.
//
// Thread-safety: immutable after construction; Sign, PublicJwk and Public may be called
// concurrently (each Sign builds its own EVP_MD_CTX). Movable, not copyable.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/alg.h"
#include "crypto/openssl_util.h"
#include "crypto/public_key.h"

namespace gatehouse::crypto {

class PrivateKey {
 public:
  static Result<PrivateKey> Generate(Alg alg);
  static Result<PrivateKey> FromPkcs8Der(std::string_view der, Alg alg);

  PrivateKey(PrivateKey&&) noexcept = default;
  PrivateKey& operator=(PrivateKey&&) noexcept = default;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
  ~PrivateKey() = default;

  Alg alg() const { return alg_; }
  const std::string& kid() const { return kid_; }

  // DER PrivateKeyInfo (RFC 5208). Secret.
  std::string ToPkcs8Der() const;

  // Public members only (kty, crv/x/y, crv/x or n/e) plus "kid", "alg" and "use": "sig". Never
  // contains d, p, q, dp, dq or qi.
  boost::json::object PublicJwk() const;

  // The matching verification key (same alg and kid).
  PublicKey Public() const;

  // The JWS signature of `signing_input` per RFC 7518 §3 / RFC 8037 §3.1 (ES256: 64-byte R||S).
  // kServerError only if OpenSSL fails.
  Result<std::string> Sign(std::string_view signing_input) const;

 private:
  PrivateKey(internal::PkeyPtr pkey, Alg alg, std::string kid, boost::json::object public_jwk);
  static Result<PrivateKey> FromPkey(internal::PkeyPtr pkey, Alg alg);

  internal::PkeyPtr pkey_;
  internal::MdCtxPtr sign_ctx_;  // prepared once, copied per signature (may be null)
  Alg alg_;
  std::string kid_;
  boost::json::object public_jwk_;
};

}  // namespace gatehouse::crypto
