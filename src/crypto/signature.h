// Internal to src/crypto: raw JWS signature operations over an EVP_PKEY (RFC 7518 §3.3-3.5,
// RFC 8037 §3.1). Each call builds its own EVP_MD_CTX, so concurrent calls on one key are safe
// (OpenSSL 3 EVP_PKEYs are immutable once built and safe to share between threads).
#pragma once

#include <openssl/types.h>

#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/alg.h"
#include "crypto/openssl_util.h"

namespace gatehouse::crypto::internal {

// The JWS signature of `input`: ES256 as 64-byte R||S, EdDSA raw, RS256 PKCS#1 v1.5 with
// SHA-256, PS256 RSASSA-PSS SHA-256/MGF1-SHA-256/salt 32. kServerError if OpenSSL fails.
// REQUIRES: `pkey` is a private key that fits `alg`.
Result<std::string> SignRaw(EVP_PKEY* pkey, Alg alg, std::string_view input);

// True iff `signature` is a valid JWS signature of `input` under `pkey` for `alg`. ES256
// accepts only the 64-byte R||S form (RFC 7518 §3.4), never DER.
// Signing with a context prepared once per key: OpenSSL 3 spends microseconds in
// EVP_DigestSignInit (algorithm fetch, key export to the provider), a copy of a prepared
// context costs a fraction of that. Null when OpenSSL cannot prepare or copy one (EdDSA on
// some OpenSSL versions): SignPrepared then falls back to SignRaw.
MdCtxPtr PrepareSign(EVP_PKEY* pkey, Alg alg);
// As SignRaw, from `prepared` (may be null). Safe to call concurrently with one `prepared`.
Result<std::string> SignPrepared(const EVP_MD_CTX* prepared, EVP_PKEY* pkey, Alg alg,
                                 std::string_view input);

bool VerifyRaw(EVP_PKEY* pkey, Alg alg, std::string_view input, std::string_view signature);

}  // namespace gatehouse::crypto::internal
