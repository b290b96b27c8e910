#include "crypto/secret_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/check.h"

namespace gatehouse::crypto {

SecretHasher::SecretHasher(std::string pepper) : pepper_(std::move(pepper)) {
  GH_CHECK(pepper_.size() >= 32);
}

std::string SecretHasher::Hash(std::string_view secret) const {
  unsigned char out[EVP_MAX_MD_SIZE];
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
