#include "crypto/public_key.h"

#include <array>

#include "crypto/jwk.h"
#include "crypto/signature.h"

namespace gatehouse::crypto {
namespace {

// RFC 7518 §6.2.2 and §6.3.2: never accept a JWK that carries private key material.
constexpr std::array<std::string_view, 8> kPrivateMembers = {"d",  "p",  "q",   "dp",
                                                             "dq", "qi", "oth", "k"};

Error JwkError(std::string description) {
  return Error::Of(ErrorKind::kInvalidRequest, "invalid JWK: " + std::move(description));
}

}  // namespace

PublicKey::PublicKey(internal::PkeyPtr pkey, Alg alg, std::string kid, std::string thumbprint,
                     boost::json::object required_members)
    : pkey_(std::move(pkey)),
      alg_(alg),
      kid_(std::move(kid)),
      thumbprint_(std::move(thumbprint)),
      required_members_(std::move(required_members)) {}

Result<PublicKey> PublicKey::FromJwk(const boost::json::object& jwk) {
  for (std::string_view name : kPrivateMembers) {
    if (jwk.contains(name)) return Fail(JwkError("private member \"" + std::string(name) + "\""));
  }
  const boost::json::value* alg_value = jwk.if_contains("alg");
  if (alg_value == nullptr || !alg_value->is_string()) return Fail(JwkError("missing alg"));
  std::optional<Alg> alg = ParseAlg(std::string_view(alg_value->get_string()));
  if (!alg) return Fail(JwkError("unsupported alg"));
  if (const boost::json::value* use = jwk.if_contains("use")) {
    if (!use->is_string() || use->get_string() != "sig") return Fail(JwkError("use must be sig"));
  }
  std::string kid;
  if (const boost::json::value* kid_value = jwk.if_contains("kid")) {
    if (!kid_value->is_string()) return Fail(JwkError("kid must be a string"));
    kid = std::string(kid_value->get_string());
  }

  Result<internal::PkeyPtr> pkey = internal::PublicPkeyFromJwk(jwk, *alg);
  if (!pkey) return Fail(std::move(pkey.error()));
  // Re-derive the members from the parsed key so that thumbprint and Jwk() are canonical.
  Result<boost::json::object> members = internal::RequiredPublicMembers(pkey->get(), *alg);
  if (!members) return Fail(std::move(members.error()));
  Result<std::string> thumbprint = JwkThumbprint(*members);
  if (!thumbprint) return Fail(std::move(thumbprint.error()));
  if (kid.empty()) kid = *thumbprint;
  return PublicKey(std::move(*pkey), *alg, std::move(kid), std::move(*thumbprint),
                   std::move(*members));
}

boost::json::object PublicKey::Jwk() const {
  boost::json::object jwk = required_members_;
  jwk["kid"] = kid_;
  jwk["alg"] = AlgName(alg_);
  jwk["use"] = "sig";
  return jwk;
}

bool PublicKey::Verify(std::string_view signing_input, std::string_view signature) const {
  return internal::VerifyRaw(pkey_.get(), alg_, signing_input, signature);
}

}  // namespace gatehouse::crypto
