#include "crypto/private_key.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

#include "common/check.h"
#include "crypto/jwk.h"
#include "crypto/signature.h"

namespace gatehouse::crypto {
namespace {

constexpr std::size_t kRsaBits = 2048;

struct Pkcs8Free {
  void operator()(PKCS8_PRIV_KEY_INFO* p) const { PKCS8_PRIV_KEY_INFO_free(p); }
};
using Pkcs8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, Pkcs8Free>;

EVP_PKEY* GenerateRaw(Alg alg) {
  switch (alg) {
    case Alg::kES256:
      return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    case Alg::kEdDSA:
      return EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    case Alg::kRS256:
    case Alg::kPS256:
      return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", kRsaBits);
  }
  return nullptr;
}

}  // namespace

PrivateKey::PrivateKey(internal::PkeyPtr pkey, Alg alg, std::string kid,
                       boost::json::object public_jwk)
    : pkey_(std::move(pkey)),
      sign_ctx_(internal::PrepareSign(pkey_.get(), alg)),
      alg_(alg),
      kid_(std::move(kid)),
      public_jwk_(std::move(public_jwk)) {}

Result<PrivateKey> PrivateKey::FromPkey(internal::PkeyPtr pkey, Alg alg) {
  Status fits = internal::CheckKeyFitsAlg(pkey.get(), alg);
  if (!fits) return Fail(std::move(fits.error()));
  Result<boost::json::object> jwk = internal::RequiredPublicMembers(pkey.get(), alg);
  if (!jwk) return Fail(std::move(jwk.error()));
  Result<std::string> kid = JwkThumbprint(*jwk);
  if (!kid) return Fail(std::move(kid.error()));
  (*jwk)["kid"] = *kid;
  (*jwk)["alg"] = AlgName(alg);
  (*jwk)["use"] = "sig";
  // The public half must pass the same checks a verifier applies (e.g. RSA e > 2^16), so that
  // Public() cannot fail later and we never publish a key our own verifiers would refuse.
  Result<PublicKey> pub = PublicKey::FromJwk(*jwk);
  if (!pub) return Fail(std::move(pub.error()));
  return PrivateKey(std::move(pkey), alg, std::move(*kid), std::move(*jwk));
}

Result<PrivateKey> PrivateKey::Generate(Alg alg) {
  internal::PkeyPtr pkey(GenerateRaw(alg));
  if (!pkey) return Fail(internal::OpenSslError("EVP_PKEY_Q_keygen"));
  return FromPkey(std::move(pkey), alg);
}

Result<PrivateKey> PrivateKey::FromPkcs8Der(std::string_view der, Alg alg) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const auto* end = p + der.size();
  Pkcs8Ptr info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!info || p != end) {
    internal::ClearOpenSslErrors();
    return Fail(Error::Of(ErrorKind::kInvalidRequest, "malformed PKCS#8 private key"));
  }
  internal::PkeyPtr pkey(EVP_PKCS82PKEY(info.get()));
  if (!pkey) {
    internal::ClearOpenSslErrors();
    return Fail(Error::Of(ErrorKind::kInvalidRequest, "unsupported PKCS#8 private key"));
  }
  return FromPkey(std::move(pkey), alg);
}

std::string PrivateKey::ToPkcs8Der() const {
  Pkcs8Ptr info(EVP_PKEY2PKCS8(pkey_.get()));
  GH_CHECK(info != nullptr);
  unsigned char* der = nullptr;
  const int len = i2d_PKCS8_PRIV_KEY_INFO(info.get(), &der);
  GH_CHECK(len > 0);
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_clear_free(der, static_cast<std::size_t>(len));
  return out;
}

boost::json::object PrivateKey::PublicJwk() const { return public_jwk_; }

PublicKey PrivateKey::Public() const {
  Result<PublicKey> key = PublicKey::FromJwk(public_jwk_);
  GH_CHECK(key.has_value());  // FromPkey checked that it does
  return std::move(*key);
}

Result<std::string> PrivateKey::Sign(std::string_view signing_input) const {
  return internal::SignPrepared(sign_ctx_.get(), pkey_.get(), alg_, signing_input);
}

}  // namespace gatehouse::crypto
