#include "crypto/signature.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>

#include "crypto/openssl_util.h"

namespace gatehouse::crypto::internal {
namespace {

constexpr int kEs256ScalarSize = 32;
constexpr int kPssSaltLength = 32;  // RFC 7518 §3.5: salt length equals the hash size

struct EcdsaSigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// EVP_DigestSignInit / EVP_DigestVerifyInit plus the PSS parameters, which we pin rather than
// letting the signature say what it used.
bool InitContext(EVP_MD_CTX* ctx, EVP_PKEY* pkey, Alg alg, bool sign) {
  const EVP_MD* md = alg == Alg::kEdDSA ? nullptr : EVP_sha256();  // Ed25519 hashes itself
  EVP_PKEY_CTX* pctx = nullptr;
  const int ok = sign ? EVP_DigestSignInit(ctx, &pctx, md, nullptr, pkey)
                      : EVP_DigestVerifyInit(ctx, &pctx, md, nullptr, pkey);
  if (ok != 1) return false;
  if (alg == Alg::kRS256) return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  if (alg == Alg::kPS256) {
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, kPssSaltLength) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1;
  }
  return true;
}

// OpenSSL produces DER ECDSA-Sig-Value; JWS wants fixed-size R||S.
Result<std::string> DerToRaw(std::string_view der) {
  const unsigned char* p = Bytes(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return Fail(OpenSslError("d2i_ECDSA_SIG"));
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * kEs256ScalarSize, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, kEs256ScalarSize) != kEs256ScalarSize ||
      BN_bn2binpad(s, out + kEs256ScalarSize, kEs256ScalarSize) != kEs256ScalarSize) {
    return Fail(OpenSslError("ECDSA scalar too large"));
  }
  return raw;
}

std::optional<std::string> RawToDer(std::string_view raw) {
  if (raw.size() != 2 * kEs256ScalarSize) return std::nullopt;
  BnPtr r(BN_bin2bn(Bytes(raw), kEs256ScalarSize, nullptr));
  BnPtr s(BN_bin2bn(Bytes(raw) + kEs256ScalarSize, kEs256ScalarSize, nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

namespace {

Result<std::string> SignWith(EVP_MD_CTX* ctx, Alg alg, std::string_view input) {
  std::size_t size = 0;
  if (EVP_DigestSign(ctx, nullptr, &size, Bytes(input), input.size()) != 1) {
    return Fail(OpenSslError("EVP_DigestSign (size)"));
  }
  std::string sig(size, '\0');
  if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &size, Bytes(input),
                     input.size()) != 1) {
    return Fail(OpenSslError("EVP_DigestSign"));
  }
  sig.resize(size);
  if (alg == Alg::kES256) return DerToRaw(sig);
  return sig;
}

}  // namespace

Result<std::string> SignRaw(EVP_PKEY* pkey, Alg alg, std::string_view input) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || !InitContext(ctx.get(), pkey, alg, /*sign=*/true)) {
    return Fail(OpenSslError("EVP_DigestSignInit"));
  }
  return SignWith(ctx.get(), alg, input);
}

MdCtxPtr PrepareSign(EVP_PKEY* pkey, Alg alg) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || !InitContext(ctx.get(), pkey, alg, /*sign=*/true)) {
    ClearOpenSslErrors();
    return nullptr;
  }
  // Prove once that this OpenSSL can copy it; else every call would fail over to SignRaw.
  MdCtxPtr probe(EVP_MD_CTX_new());
  if (!probe || EVP_MD_CTX_copy_ex(probe.get(), ctx.get()) != 1) {
    ClearOpenSslErrors();
    return nullptr;
  }
  return ctx;
}

Result<std::string> SignPrepared(const EVP_MD_CTX* prepared, EVP_PKEY* pkey, Alg alg,
                                 std::string_view input) {
  if (prepared == nullptr) return SignRaw(pkey, alg, input);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), prepared) != 1) {
    ClearOpenSslErrors();
    return SignRaw(pkey, alg, input);
  }
  // The context is used once: let the final step consume it rather than duplicate it first.
  EVP_MD_CTX_set_flags(ctx.get(), EVP_MD_CTX_FLAG_FINALISE);
  return SignWith(ctx.get(), alg, input);
}

bool VerifyRaw(EVP_PKEY* pkey, Alg alg, std::string_view input, std::string_view signature) {
  std::string der;
  if (alg == Alg::kES256) {
    std::optional<std::string> converted = RawToDer(signature);
    if (!converted) {
      ClearOpenSslErrors();
      return false;
    }
    der = std::move(*converted);
    signature = der;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok = ctx && InitContext(ctx.get(), pkey, alg, /*sign=*/false) &&
                  EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(input),
                                   input.size()) == 1;
  if (!ok) ClearOpenSslErrors();
  return ok;
}

}  // namespace gatehouse::crypto::internal
