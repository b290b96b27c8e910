#include "crypto/jwk.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <string_view>
#include <vector>

#include "common/base64url.h"

namespace gatehouse::crypto {
namespace {

constexpr std::size_t kP256CoordinateSize = 32;
constexpr std::size_t kEd25519KeySize = 32;
constexpr int kMinRsaBits = 2048;
// Upper bound so that a hostile JWKS cannot make every verification expensive.
constexpr int kMaxRsaBits = 8192;

Error JwkError(std::string description) {
  return Error::Of(ErrorKind::kInvalidRequest, "invalid JWK: " + description);
}

const boost::json::string* StringMember(const boost::json::object& jwk, std::string_view name) {
  const boost::json::value* v = jwk.if_contains(name);
  return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
}

// Decoded base64url member `name`; nullopt if absent, not a string or not strict base64url.
std::optional<std::string> BytesMember(const boost::json::object& jwk, std::string_view name) {
  const boost::json::string* s = StringMember(jwk, name);
  if (s == nullptr) return std::nullopt;
  return Base64UrlDecode(std::string_view(*s));
}

std::vector<std::string_view> RequiredMemberNames(std::string_view kty) {
  if (kty == "EC") return {"crv", "kty", "x", "y"};
  if (kty == "OKP") return {"crv", "kty", "x"};
  if (kty == "RSA") return {"e", "kty", "n"};
  return {};
}

Result<std::string> BnParam(const EVP_PKEY* pkey, const char* name, int pad_to) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    return Fail(internal::OpenSslError(std::string("EVP_PKEY_get_bn_param ") + name));
  }
  internal::BnPtr bn(raw);
  const int size = pad_to > 0 ? pad_to : BN_num_bytes(bn.get());
  std::string out(static_cast<std::size_t>(size), '\0');
  auto* data = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(bn.get(), data, size) != size) {
    return Fail(internal::OpenSslError(std::string("BN_bn2binpad ") + name));
  }
  return out;
}

Result<internal::PkeyPtr> FromData(const char* type, OSSL_PARAM* params) {
  internal::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    internal::ClearOpenSslErrors();
    return Fail(JwkError("key members rejected"));
  }
  internal::PkeyPtr pkey(raw);
  // Point on the curve / sane modulus and exponent: never trust imported public values.
  internal::PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    internal::ClearOpenSslErrors();
    return Fail(JwkError("public key check failed"));
  }
  return pkey;
}

Result<internal::PkeyPtr> EcFromJwk(const boost::json::object& jwk) {
  const boost::json::string* crv = StringMember(jwk, "crv");
  if (crv == nullptr || *crv != "P-256") return Fail(JwkError("ES256 needs crv P-256"));
  auto x = BytesMember(jwk, "x");
  auto y = BytesMember(jwk, "y");
  // RFC 7518 §6.2.1.2: coordinates are exactly the field size, leading zeros kept.
  if (!x || !y || x->size() != kP256CoordinateSize || y->size() != kP256CoordinateSize) {
    return Fail(JwkError("x and y must be 32-byte base64url"));
  }
  std::string point = "\x04" + *x + *y;  // SEC1 uncompressed point
  char group[] = "prime256v1";
  std::array<OSSL_PARAM, 3> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  return FromData("EC", params.data());
}

Result<internal::PkeyPtr> OkpFromJwk(const boost::json::object& jwk) {
  const boost::json::string* crv = StringMember(jwk, "crv");
  if (crv == nullptr || *crv != "Ed25519") return Fail(JwkError("EdDSA needs crv Ed25519"));
  auto x = BytesMember(jwk, "x");
  if (!x || x->size() != kEd25519KeySize) return Fail(JwkError("x must be 32-byte base64url"));
  internal::PkeyPtr pkey(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x->data()), x->size()));
  if (!pkey) {
    internal::ClearOpenSslErrors();
    return Fail(JwkError("Ed25519 key rejected"));
  }
  return pkey;
}

Result<internal::PkeyPtr> RsaFromJwk(const boost::json::object& jwk) {
  auto n = BytesMember(jwk, "n");
  auto e = BytesMember(jwk, "e");
  // RFC 7518 §6.3.1: minimal big-endian encoding, so the thumbprint is canonical.
  if (!n || !e || n->empty() || e->empty() || n->front() == '\0' || e->front() == '\0') {
    return Fail(JwkError("n and e must be minimal non-empty base64url integers"));
  }
  if (n->size() * 8 > static_cast<std::size_t>(kMaxRsaBits) || e->size() > 8) {
    return Fail(JwkError("RSA key too large"));
  }
  internal::BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()),
                                 static_cast<int>(n->size()), nullptr));
  internal::BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()),
                                 static_cast<int>(e->size()), nullptr));
  internal::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return Fail(internal::OpenSslError("building RSA params"));
  }
  internal::ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return Fail(internal::OpenSslError("OSSL_PARAM_BLD_to_param"));
  return FromData("RSA", params.get());
}

}  // namespace

Result<std::string> JwkThumbprint(const boost::json::object& jwk) {
  const boost::json::string* kty = StringMember(jwk, "kty");
  if (kty == nullptr) return Fail(JwkError("missing kty"));
  std::vector<std::string_view> names = RequiredMemberNames(std::string_view(*kty));
  if (names.empty()) return Fail(JwkError("unsupported kty"));
  // Names are listed sorted; serialize() of a string escapes exactly as RFC 7638 §3.3 wants for
  // the ASCII values that can occur here.
  std::string canonical = "{";
  for (std::string_view name : names) {
    const boost::json::string* value = StringMember(jwk, name);
    if (value == nullptr) return Fail(JwkError("missing " + std::string(name)));
    if (canonical.size() > 1) canonical += ',';
    canonical += boost::json::serialize(boost::json::string(name));
    canonical += ':';
    canonical += boost::json::serialize(*value);
  }
  canonical += '}';
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest.data(), &digest_size, EVP_sha256(),
                 nullptr) != 1) {
    return Fail(internal::OpenSslError("EVP_Digest"));
  }
  return Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest_size));
}

namespace internal {

Status CheckKeyFitsAlg(const EVP_PKEY* pkey, Alg alg) {
  switch (alg) {
    case Alg::kES256: {
      char group[64] = {};
      std::size_t len = 0;
      if (!EVP_PKEY_is_a(pkey, "EC") ||
          EVP_PKEY_get_group_name(pkey, group, sizeof(group), &len) != 1 ||
          std::string_view(group, len) != "prime256v1") {
        ClearOpenSslErrors();
        return Fail(Error::Of(ErrorKind::kInvalidRequest, "ES256 needs a P-256 key"));
      }
      return {};
    }
    case Alg::kEdDSA:
      if (!EVP_PKEY_is_a(pkey, "ED25519")) {
        return Fail(Error::Of(ErrorKind::kInvalidRequest, "EdDSA needs an Ed25519 key"));
      }
      return {};
    case Alg::kRS256:
    case Alg::kPS256: {
      const int bits = EVP_PKEY_get_bits(pkey);
      if (!EVP_PKEY_is_a(pkey, "RSA") || bits < kMinRsaBits || bits > kMaxRsaBits) {
        return Fail(Error::Of(ErrorKind::kInvalidRequest,
                              std::string(AlgName(alg)) + " needs an RSA key of 2048-8192 bits"));
      }
      return {};
    }
  }
  return Fail(Error::Server("unknown Alg"));
}

Result<boost::json::object> RequiredPublicMembers(const EVP_PKEY* pkey, Alg alg) {
  boost::json::object jwk;
  switch (alg) {
    case Alg::kES256: {
      auto x = BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X, kP256CoordinateSize);
      if (!x) return Fail(std::move(x.error()));
      auto y = BnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, kP256CoordinateSize);
      if (!y) return Fail(std::move(y.error()));
      jwk["crv"] = "P-256";
      jwk["kty"] = "EC";
      jwk["x"] = Base64UrlEncode(*x);
      jwk["y"] = Base64UrlEncode(*y);
      return jwk;
    }
    case Alg::kEdDSA: {
      std::array<unsigned char, kEd25519KeySize> raw{};
      std::size_t len = raw.size();
      if (EVP_PKEY_get_raw_public_key(pkey, raw.data(), &len) != 1 || len != raw.size()) {
        return Fail(OpenSslError("EVP_PKEY_get_raw_public_key"));
      }
      jwk["crv"] = "Ed25519";
      jwk["kty"] = "OKP";
      jwk["x"] = Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(raw.data()), len));
      return jwk;
    }
    case Alg::kRS256:
    case Alg::kPS256: {
      auto n = BnParam(pkey, OSSL_PKEY_PARAM_RSA_N, 0);
      if (!n) return Fail(std::move(n.error()));
      auto e = BnParam(pkey, OSSL_PKEY_PARAM_RSA_E, 0);
      if (!e) return Fail(std::move(e.error()));
      jwk["e"] = Base64UrlEncode(*e);
      jwk["kty"] = "RSA";
      jwk["n"] = Base64UrlEncode(*n);
      return jwk;
    }
  }
  return Fail(Error::Server("unknown Alg"));
}

Result<PkeyPtr> PublicPkeyFromJwk(const boost::json::object& jwk, Alg alg) {
  const boost::json::string* kty = StringMember(jwk, "kty");
  if (kty == nullptr) return Fail(JwkError("missing kty"));
  Result<PkeyPtr> pkey = Fail(JwkError("kty does not fit alg"));
  switch (alg) {
    case Alg::kES256:
      if (*kty == "EC") pkey = EcFromJwk(jwk);
      break;
    case Alg::kEdDSA:
      if (*kty == "OKP") pkey = OkpFromJwk(jwk);
      break;
    case Alg::kRS256:
    case Alg::kPS256:
      if (*kty == "RSA") pkey = RsaFromJwk(jwk);
      break;
  }
  if (!pkey) return pkey;
  Status fits = CheckKeyFitsAlg(pkey->get(), alg);
  if (!fits) return Fail(JwkError(fits.error().description));
  return pkey;
}

}  // namespace internal
}  // namespace gatehouse::crypto
