#include "crypto/key_sealer.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::crypto {
namespace {

const std::string kMasterKey(32, 'k');

TEST(KeySealerTest, RoundTrip) {
  KeySealer sealer(kMasterKey);
  const std::string kPlaintexts[] = {"", "x", "a PKCS#8 key", std::string(5000, '\xff')};
  for (const std::string& plaintext : kPlaintexts) {
    const std::string sealed = sealer.Seal(plaintext, "signing_key:k1");
    EXPECT_EQ(sealed.size(), 1 + 12 + plaintext.size() + 16);
    EXPECT_EQ(sealed[0], '\x01');
    if (plaintext.size() > 4) {
      EXPECT_EQ(sealed.find(plaintext), std::string::npos);
    }
    auto opened = sealer.Open(sealed, "signing_key:k1");
    ASSERT_TRUE(opened.has_value()) << opened.error().detail;
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(KeySealerTest, FreshNonceEachTime) {
  KeySealer sealer(kMasterKey);
  EXPECT_NE(sealer.Seal("same", "aad"), sealer.Seal("same", "aad"));
}

TEST(KeySealerTest, EveryFlippedBitIsDetected) {
  KeySealer sealer(kMasterKey);
  const std::string sealed = sealer.Seal("secret key bytes", "aad");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string tampered = sealed;
      tampered[i] = static_cast<char>(tampered[i] ^ (1 << bit));
      EXPECT_FALSE(sealer.Open(tampered, "aad").has_value()) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(KeySealerTest, TruncatedOrExtendedIsRefused) {
  KeySealer sealer(kMasterKey);
  const std::string sealed = sealer.Seal("secret", "aad");
  for (std::size_t len = 0; len < sealed.size(); ++len) {
    EXPECT_FALSE(sealer.Open(sealed.substr(0, len), "aad").has_value()) << len;
  }
  EXPECT_FALSE(sealer.Open(sealed + '\0', "aad").has_value());
}

TEST(KeySealerTest, WrongAadOrKeyIsRefused) {
  KeySealer sealer(kMasterKey);
  const std::string sealed = sealer.Seal("secret", "signing_key:k1");
  const std::string_view kWrongAads[] = {"", "signing_key:k2", "signing_key:k1 ", "signing_key:k"};
  for (std::string_view aad : kWrongAads) {
    EXPECT_FALSE(sealer.Open(sealed, aad).has_value()) << aad;
  }
  std::string other_key = kMasterKey;
  other_key[31] ^= 1;
  KeySealer other(other_key);
  auto opened = other.Open(sealed, "signing_key:k1");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().kind, ErrorKind::kServerError);
  // Empty aad works when both sides agree.
  EXPECT_EQ(*sealer.Open(sealer.Seal("x", ""), ""), "x");
}

TEST(KeySealerDeathTest, MasterKeyMustBe32Bytes) {
  EXPECT_DEATH(KeySealer(std::string(31, 'k')), "GH_CHECK");
  EXPECT_DEATH(KeySealer(std::string(33, 'k')), "GH_CHECK");
}

}  // namespace
}  // namespace gatehouse::crypto
