#include "testing/test_keys.h"

#include <array>

#include "common/check.h"

namespace gatehouse::test {
namespace {

struct Keys {
  std::array<crypto::PrivateKey, 4> keys;
};

crypto::PrivateKey MustGenerate(crypto::Alg alg) {
  auto key = crypto::PrivateKey::Generate(alg);
  GH_CHECK(key.has_value());
  return std::move(*key);
}

}  // namespace

const crypto::PrivateKey& TestKey(crypto::Alg alg) {
  static const Keys* const keys =
      new Keys{{MustGenerate(crypto::Alg::kES256), MustGenerate(crypto::Alg::kEdDSA),
                MustGenerate(crypto::Alg::kRS256), MustGenerate(crypto::Alg::kPS256)}};
  return keys->keys[static_cast<std::size_t>(alg)];
}

void FakeKeyLookup::Add(crypto::PublicKey key) {
  std::string kid = key.kid();
  keys_.insert_or_assign(std::move(kid), std::move(key));
}

const crypto::PublicKey* FakeKeyLookup::Find(std::string_view kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace gatehouse::test
