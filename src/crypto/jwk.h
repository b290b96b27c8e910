// JWK conversions shared by PrivateKey and PublicKey (RFC 7517, RFC 7518 §6, RFC 8037 §2) and
// the RFC 7638 thumbprint used as "kid".
//
// Only public key members are ever read or written here. All functions are thread-safe; the
// EVP_PKEY arguments are only read.
#pragma once

#include <openssl/types.h>

#include <boost/json/object.hpp>
#include <string>

#include "common/result.h"
#include "crypto/alg.h"
#include "crypto/openssl_util.h"

namespace gatehouse::crypto {

// RFC 7638 §3: base64url(SHA-256) of the JSON object holding only the required members of
// `jwk`'s key type ("crv","kty","x","y" for EC; "crv","kty","x" for OKP; "e","kty","n" for RSA),
// in lexicographic order without whitespace. Other members (kid, alg, use) are ignored.
// Fails (kInvalidRequest) if kty is missing, unsupported, or a required member is not a string.
Result<std::string> JwkThumbprint(const boost::json::object& jwk);

namespace internal {

// OK if `pkey` is the key type `alg` needs: P-256 for ES256, Ed25519 for EdDSA, RSA of
// 2048..8192 bits for RS256/PS256. Otherwise kInvalidRequest with a description.
Status CheckKeyFitsAlg(const EVP_PKEY* pkey, Alg alg);

// The RFC 7638 required public members of `pkey` (see JwkThumbprint): EC coordinates padded to
// 32 bytes, RSA n/e without leading zero bytes. REQUIRES: CheckKeyFitsAlg(pkey, alg) is OK.
Result<boost::json::object> RequiredPublicMembers(const EVP_PKEY* pkey, Alg alg);

// A public EVP_PKEY from the key members of `jwk`, which must match `alg`'s key type and be
// canonically encoded (exact coordinate lengths, no leading zeros in n/e). kInvalidRequest
// otherwise.
Result<PkeyPtr> PublicPkeyFromJwk(const boost::json::object& jwk, Alg alg);

}  // namespace internal
}  // namespace gatehouse::crypto
