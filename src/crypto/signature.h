// Internal to src/crypto: raw JWS signature operations over an EVP_PKEY (RFC 7518 §3.3-3.5,
// RFC 8037 §3.1). Each call builds its own EVP_MD_CTX, so concurrent calls on one key are safe
// (OpenSSL 3 EVP_PKEYs are immutable once built and safe to share between threads).
#pragma once

#include <openssl/types.h>

#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/alg.h"

namespace gatehouse::crypto::internal {

// The JWS signature of `input`: ES256 as 64-byte R||S, EdDSA raw, RS256 PKCS#1 v1.5 with
// SHA-256, PS256 RSASSA-PSS SHA-256/MGF1-SHA-256/salt 32. kServerError if OpenSSL fails.
// REQUIRES: `pkey` is a private key that fits `alg`.
Result<std::string> SignRaw(EVP_PKEY* pkey, Alg alg, std::string_view input);

// True iff `signature` is a valid JWS signature of `input` under `pkey` for `alg`. ES256
// accepts only the 64-byte R||S form (RFC 7518 §3.4), never DER.
bool VerifyRaw(EVP_PKEY* pkey, Alg alg, std::string_view input, std::string_view signature);

}  // namespace gatehouse::crypto::internal
