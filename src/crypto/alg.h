// JWS signature algorithms Gatehouse accepts (RFC 7518 §3, RFC 8037 §3.1).
//
// The set is an allow-list (RFC 8725 §3.1): "none" and every HMAC algorithm are absent by
// construction, so a token header can never select them. ParseAlg is exact and case-sensitive
// (RFC 7515 §4.1.1 names are case-sensitive). All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace gatehouse::crypto {

enum class Alg { kES256, kEdDSA, kRS256, kPS256 };

// "ES256", "EdDSA", "RS256" or "PS256" -> the Alg; anything else (including "none", "HS256",
// "es256", " ES256") -> nullopt.
std::optional<Alg> ParseAlg(std::string_view name);

// The JWS "alg" name of `alg`, e.g. "EdDSA".
std::string_view AlgName(Alg alg);

}  // namespace gatehouse::crypto
