#include "crypto/key_sealer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstddef>
#include <span>

#include "common/check.h"
#include "crypto/openssl_util.h"

namespace gatehouse::crypto {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Feeds additional authenticated data: the version byte first, so that it is bound too.
bool AddAad(EVP_CIPHER_CTX* ctx, std::string_view aad, bool encrypt) {
  auto update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate;
  int len = 0;
  const char version = KeySealer::kVersion;
  if (update(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(&version), 1) != 1) {
    return false;
  }
  // Empty updates are skipped: OpenSSL's GCM treats a null input as "finish".
  return aad.empty() || update(ctx, nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) == 1;
}

Error OpenError(std::string detail) {
  internal::ClearOpenSslErrors();
  return Error::Server("sealed key cannot be opened: " + std::move(detail));
}

}  // namespace

KeySealer::KeySealer(std::string master_key, Random& random)
    : key_(std::move(master_key)), random_(&random) {
  GH_CHECK(key_.size() == kKeySize);
}

KeySealer::~KeySealer() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::string KeySealer::Seal(std::string_view plaintext, std::string_view aad) const {
  std::string out(1 + kNonceSize + plaintext.size() + kTagSize, '\0');
  out[0] = kVersion;
  auto* base = reinterpret_cast<unsigned char*>(out.data());
  random_->Fill(std::as_writable_bytes(std::span(out.data() + 1, kNonceSize)));

  internal::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  GH_CHECK(ctx != nullptr);
  GH_CHECK(EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), base + 1) == 1);
  GH_CHECK(AddAad(ctx.get(), aad, /*encrypt=*/true));
  unsigned char* cipher = base + 1 + kNonceSize;
  int len = 0;
  if (!plaintext.empty()) {
    GH_CHECK(EVP_EncryptUpdate(ctx.get(), cipher, &len, Bytes(plaintext),
                               static_cast<int>(plaintext.size())) == 1);
    GH_CHECK(static_cast<std::size_t>(len) == plaintext.size());
  }
  int final_len = 0;
  GH_CHECK(EVP_EncryptFinal_ex(ctx.get(), cipher + len, &final_len) == 1 && final_len == 0);
  GH_CHECK(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                               cipher + plaintext.size()) == 1);
  return out;
}

Result<std::string> KeySealer::Open(std::string_view sealed, std::string_view aad) const {
  if (sealed.size() < 1 + kNonceSize + kTagSize) return Fail(OpenError("too short"));
  if (sealed[0] != kVersion) return Fail(OpenError("unknown version"));
  const std::string_view nonce = sealed.substr(1, kNonceSize);
  const std::string_view cipher =
      sealed.substr(1 + kNonceSize, sealed.size() - 1 - kNonceSize - kTagSize);
  std::string tag(sealed.substr(sealed.size() - kTagSize));

  internal::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), Bytes(nonce)) != 1 ||
      !AddAad(ctx.get(), aad, /*encrypt=*/false)) {
    return Fail(OpenError("cipher setup failed"));
  }
  std::string plaintext(cipher.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  int len = 0;
  if (!cipher.empty() && EVP_DecryptUpdate(ctx.get(), out, &len, Bytes(cipher),
                                           static_cast<int>(cipher.size())) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return Fail(OpenError("decrypt failed"));
  }
  int final_len = 0;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize),
                          tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), out + len, &final_len) != 1) {
    // Authentication failed: the plaintext must not escape, even partially.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return Fail(OpenError("authentication failed"));
  }
  return plaintext;
}

}  // namespace gatehouse::crypto
