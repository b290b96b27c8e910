// Internal to src/crypto: RAII owners for OpenSSL objects and error reporting.
//
// Every failure path that touches OpenSSL ends in OpenSslError() (or ClearOpenSslErrors()), which
// drains the thread's error queue so that a stale entry can never be blamed on a later call.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <string_view>

#include "common/error.h"

namespace gatehouse::crypto::internal {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const;
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const;
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const;
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const;
};
struct BnFree {
  void operator()(BIGNUM* p) const;
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const;
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const;
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;

// A server error whose detail is `what` plus the drained OpenSSL error queue.
Error OpenSslError(std::string_view what);

// Drops whatever the OpenSSL error queue holds (expected failures, e.g. a bad signature).
void ClearOpenSslErrors();

}  // namespace gatehouse::crypto::internal
