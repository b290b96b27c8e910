// Compact JWS (RFC 7515 §7.1) for JWTs (RFC 7519).
//
// SignJwt never fails on valid input except when OpenSSL does (kServerError). ParseCompactJws
// only splits and decodes: it checks no signature and no claim (see access_token.h). It fails
// with kInvalidToken (detail says why) unless the token is at most kMaxJwsSize bytes, has exactly
// three parts, each strict base64url without padding, and the first two decode to JSON objects.
// The signature part may be empty (the caller then refuses it). Pure functions, thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/private_key.h"

namespace gatehouse::crypto {

// Tokens beyond this are refused before any decoding work.
inline constexpr std::size_t kMaxJwsSize = 16 * 1024;

// base64url(header) "." base64url(claims) "." base64url(signature), with the header exactly
// {"alg": AlgName(key.alg()), "typ": typ, "kid": key.kid()}.
Result<std::string> SignJwt(const PrivateKey& key, std::string_view typ,
                            const boost::json::object& claims);
// The same with the claims already serialised as one JSON object (see common/json_text.h).
Result<std::string> SignJwtJson(const PrivateKey& key, std::string_view typ,
                                std::string_view claims_json);

struct ParsedJws {
  boost::json::object header;
  boost::json::object payload;
  std::string signing_input;  // the first two segments and the dot between them, as received
  std::string signature;      // decoded bytes
};

Result<ParsedJws> ParseCompactJws(std::string_view token);

}  // namespace gatehouse::crypto
