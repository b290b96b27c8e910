// Authenticated encryption of secrets at rest (signing keys' PKCS#8), AES-256-GCM.
//
// Sealed format: 0x01 (version) || 12-byte random nonce || ciphertext || 16-byte tag. The version
// byte and the caller's `aad` are authenticated; bind the aad to where the blob lives (e.g.
// "signing_key:" + kid) so a sealed value cannot be swapped to another row.
//
// Seal never fails (an OpenSSL failure there is a bug: GH_CHECK). Open fails with kServerError
// on a wrong version, short input, any modified byte, a different aad or a different master key;
// it never returns unauthenticated plaintext.
//
// Random 96-bit nonces are safe for far more than the number of keys we will ever seal (NIST SP
// 800-38D §8.3 bounds 2^32 messages per key).
//
// Thread-safety: immutable; Seal and Open may be called concurrently if `random` allows it
// (the default, libsodium's CSPRNG, does).
#pragma once

#include <string>
#include <string_view>

#include "common/random.h"
#include "common/result.h"

namespace gatehouse::crypto {

class KeySealer {
 public:
  static constexpr std::size_t kKeySize = 32;
  static constexpr std::size_t kNonceSize = 12;
  static constexpr std::size_t kTagSize = 16;
  static constexpr char kVersion = '\x01';

  // REQUIRES: master_key.size() == kKeySize (GH_CHECK). `random` must outlive the sealer.
  explicit KeySealer(std::string master_key, Random& random = DefaultRandom());
  ~KeySealer();
  KeySealer(const KeySealer&) = delete;
  KeySealer& operator=(const KeySealer&) = delete;

  std::string Seal(std::string_view plaintext, std::string_view aad) const;
  Result<std::string> Open(std::string_view sealed, std::string_view aad) const;

 private:
  std::string key_;
  Random* random_;
};

}  // namespace gatehouse::crypto
