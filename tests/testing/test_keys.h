// Shared signing keys and a KeyLookup fake for tests.
//
// TestKey(alg) returns one process-wide key per algorithm, generated on first use (RSA key
// generation is slow, so tests share them). Thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "crypto/access_token.h"
#include "crypto/alg.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"

namespace gatehouse::test {

inline constexpr crypto::Alg kAllAlgs[] = {crypto::Alg::kES256, crypto::Alg::kEdDSA,
                                           crypto::Alg::kRS256, crypto::Alg::kPS256};

const crypto::PrivateKey& TestKey(crypto::Alg alg);

// A KeyLookup over the public keys added to it, by kid. Not thread-safe while being modified.
class FakeKeyLookup final : public crypto::KeyLookup {
 public:
  FakeKeyLookup() = default;
  // Convenience: a lookup holding the public half of each given key.
  template <typename... Keys>
  explicit FakeKeyLookup(const Keys&... keys) {
    (Add(keys.Public()), ...);
  }

  void Add(crypto::PublicKey key);
  const crypto::PublicKey* Find(std::string_view kid) const override;

 private:
  std::map<std::string, crypto::PublicKey, std::less<>> keys_;
};

}  // namespace gatehouse::test
