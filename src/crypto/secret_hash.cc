#include "crypto/secret_hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/check.h"

namespace gatehouse::crypto {

SecretHasher::SecretHasher(std::string pepper) : pepper_(std::move(pepper)) {
  GH_CHECK(pepper_.size() >= 32);
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac != nullptr) {
    keyed_ = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);  // the context holds its own reference
  }
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                               OSSL_PARAM_construct_end()};
  if (keyed_ != nullptr &&
      EVP_MAC_init(keyed_, reinterpret_cast<const unsigned char*>(pepper_.data()), pepper_.size(),
                   params) != 1) {
    EVP_MAC_CTX_free(keyed_);
    keyed_ = nullptr;
  }
  ERR_clear_error();
}

SecretHasher::~SecretHasher() { EVP_MAC_CTX_free(keyed_); }

std::string SecretHasher::Hash(std::string_view secret) const {
  unsigned char out[EVP_MAX_MD_SIZE];
  if (keyed_ != nullptr) {
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(keyed_);
    std::size_t len = 0;
    const bool ok = ctx != nullptr &&
                    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(secret.data()),
                                   secret.size()) == 1 &&
                    EVP_MAC_final(ctx, out, &len, sizeof out) == 1;
    EVP_MAC_CTX_free(ctx);
    if (ok) return std::string(reinterpret_cast<const char*>(out), len);
    ERR_clear_error();
  }
  unsigned int len = 0;
  GH_CHECK(HMAC(EVP_sha256(), pepper_.data(), static_cast<int>(pepper_.size()),
                reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), out,
                &len) != nullptr);
  return std::string(reinterpret_cast<const char*>(out), len);
}

bool SecretHasher::Matches(std::string_view secret, std::string_view stored_hash) const {
  return ConstantTimeEquals(Hash(secret), stored_hash);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Sha256(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  GH_CHECK(EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr) == 1);
  return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace gatehouse::crypto
