#include "crypto/jws.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/base64url.h"
#include "common/json_text.h"

namespace gatehouse::crypto {
namespace {

Error TokenError(std::string detail) {
  return Error::Of(ErrorKind::kInvalidToken, "malformed token", std::move(detail));
}

Result<boost::json::object> DecodeJsonObject(std::string_view segment, std::string_view what) {
  std::optional<std::string> json = Base64UrlDecode(segment);
  if (!json) return Fail(TokenError(std::string(what) + " is not base64url"));
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(*json, ec);
  if (ec) return Fail(TokenError(std::string(what) + " is not JSON: " + ec.message()));
  if (!value.is_object()) return Fail(TokenError(std::string(what) + " is not a JSON object"));
  return std::move(value.get_object());
}

}  // namespace

Result<std::string> SignJwt(const PrivateKey& key, std::string_view typ,
                            const boost::json::object& claims) {
  return SignJwtJson(key, typ, boost::json::serialize(claims));
}

Result<std::string> SignJwtJson(const PrivateKey& key, std::string_view typ,
                                std::string_view claims_json) {
  std::string header;
  header.reserve(32 + typ.size() + key.kid().size());
  header += '{';
  AppendJsonMember(header, "alg", AlgName(key.alg()));
  header += ',';
  AppendJsonMember(header, "typ", typ);
  header += ',';
  AppendJsonMember(header, "kid", key.kid());
  header += '}';
  std::string token = Base64UrlEncode(header);
  token += '.';
  token += Base64UrlEncode(claims_json);
  Result<std::string> signature = key.Sign(token);
  if (!signature) return Fail(std::move(signature.error()));
  token += '.';
  token += Base64UrlEncode(*signature);
  return token;
}

Result<ParsedJws> ParseCompactJws(std::string_view token) {
  if (token.size() > kMaxJwsSize) return Fail(TokenError("token too large"));
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos) return Fail(TokenError("not three parts"));
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Fail(TokenError("not three parts"));
  }
  const std::string_view header_part = token.substr(0, first);
  const std::string_view payload_part = token.substr(first + 1, second - first - 1);
  const std::string_view signature_part = token.substr(second + 1);

  ParsedJws jws;
  Result<boost::json::object> header = DecodeJsonObject(header_part, "header");
  if (!header) return Fail(std::move(header.error()));
  jws.header = std::move(*header);
  Result<boost::json::object> payload = DecodeJsonObject(payload_part, "payload");
  if (!payload) return Fail(std::move(payload.error()));
  jws.payload = std::move(*payload);
  std::optional<std::string> signature = Base64UrlDecode(signature_part);
  if (!signature) return Fail(TokenError("signature is not base64url"));
  jws.signature = std::move(*signature);
  jws.signing_input = std::string(token.substr(0, second));
  return jws;
}

}  // namespace gatehouse::crypto
