#include "crypto/openssl_util.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <string>

namespace gatehouse::crypto::internal {

void PkeyFree::operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
void PkeyCtxFree::operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
void MdCtxFree::operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
void CipherCtxFree::operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
void BnFree::operator()(BIGNUM* p) const { BN_clear_free(p); }
void ParamBldFree::operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
void ParamFree::operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }

Error OpenSslError(std::string_view what) {
  std::string detail(what);
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    detail += "; ";
    detail += buf;
  }
  return Error::Server(std::move(detail));
}

void ClearOpenSslErrors() { ERR_clear_error(); }

}  // namespace gatehouse::crypto::internal
