#include "crypto/secret_hash.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "common/hex.h"

namespace gatehouse::crypto {
namespace {

// The expected value is Python's hmac.new(b"p" * 32, b"secret", hashlib.sha256).hexdigest().
TEST(SecretHasher, IsHmacSha256UnderThePepper) {
  const SecretHasher hasher(std::string(32, 'p'));
  EXPECT_EQ(HexEncode(hasher.Hash("secret")),
            "9e59988ccb0fa672c1d9cfa4460a47ccef56cb8275a0fa369b0a1a467f133545");
}

TEST(SecretHasher, MatchesAndConcurrentUse) {
  const SecretHasher hasher(std::string(40, 'k'));
  const std::string stored = hasher.Hash("s3cret");
  EXPECT_EQ(stored.size(), 32u);
  EXPECT_TRUE(hasher.Matches("s3cret", stored));
  EXPECT_FALSE(hasher.Matches("s3cres", stored));
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) ok[t] += hasher.Hash("s3cret") == stored ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  for (int n : ok) EXPECT_EQ(n, 2000);
}

}  // namespace
}  // namespace gatehouse::crypto
