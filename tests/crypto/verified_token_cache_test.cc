#include <gtest/gtest.h>

#include <memory>

#include "crypto/access_token.h"
#include "crypto/jws.h"
#include "crypto/private_key.h"

namespace gatehouse::crypto {
namespace {

constexpr char kIssuer[] = "https://gh.test/oauth/a/prod";
constexpr char kAudience[] = "https://orders.test";
constexpr int64_t kNow = 1'800'000'000;

class Keys final : public KeyLookup {
 public:
  const PublicKey* Find(std::string_view kid) const override {
    return key && kid == key->kid() ? key.get() : nullptr;
  }
  std::unique_ptr<PublicKey> key;
};

class VerifiedTokenCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = PrivateKey::Generate(Alg::kES256);
    ASSERT_TRUE(key);
    keys_.key = std::make_unique<PublicKey>(key->Public());
    auto token = SignJwt(*key, "at+jwt",
                         {{"iss", kIssuer},
                          {"sub", "ci_1"},
                          {"aud", kAudience},
                          {"iat", kNow},
                          {"exp", kNow + 60},
                          {"jti", "j1"},
                          {"client_id", "ci_1"},
                          {"scope", "read"}});
    ASSERT_TRUE(token);
    token_ = *token;
    key_ = std::make_unique<PrivateKey>(std::move(*key));
  }
  Keys keys_;
  std::unique_ptr<PrivateKey> key_;
  std::string token_;
  VerifiedTokenCache cache_{4};
};

TEST_F(VerifiedTokenCacheTest, ASecondCallGivesTheSameClaimsFromTheCache) {
  auto first = VerifyAccessToken(token_, keys_, {kIssuer, kAudience, kNow, 0}, cache_);
  ASSERT_TRUE(first);
  EXPECT_EQ(cache_.size(), 1u);
  auto second = VerifyAccessToken(token_, keys_, {kIssuer, kAudience, kNow, 0}, cache_);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->client_id, "ci_1");
  EXPECT_EQ(second->jti, "j1");
  EXPECT_EQ(second->raw, first->raw);
  EXPECT_EQ(cache_.size(), 1u);
}

TEST_F(VerifiedTokenCacheTest, TimeIssuerAndAudienceAreCheckedOnEveryHit) {
  ASSERT_TRUE(VerifyAccessToken(token_, keys_, {kIssuer, kAudience, kNow, 0}, cache_));
  EXPECT_EQ(VerifyAccessToken(token_, keys_, {kIssuer, kAudience, kNow + 60, 0}, cache_).error(),
            VerifyFailure::kExpired);
  EXPECT_EQ(
      VerifyAccessToken(token_, keys_, {kIssuer, "https://other.test", kNow, 0}, cache_).error(),
      VerifyFailure::kWrongAudience);
  EXPECT_EQ(
      VerifyAccessToken(token_, keys_, {"https://gh.test/x", kAudience, kNow, 0}, cache_).error(),
      VerifyFailure::kWrongIssuer);
  EXPECT_EQ(VerifyAccessToken(token_, keys_, {kIssuer, kAudience, kNow - 10, 0}, cache_).error(),
            VerifyFailure::kIssuedInFuture);
}

TEST_F(VerifiedTokenCacheTest, AKeyNoLongerPublishedEndsTheHit) {
  ASSERT_TRUE(VerifyAccessToken(token_, keys_, {kIssuer, kAudience, kNow, 0}, cache_));
  auto removed = std::move(keys_.key);
  EXPECT_EQ(VerifyAccessToken(token_, keys_, {kIssuer, kAudience, kNow, 0}, cache_).error(),
            VerifyFailure::kUnknownKid);
  // The same key published again as another object: verified again, then accepted.
  keys_.key = std::make_unique<PublicKey>(key_->Public());
  EXPECT_TRUE(VerifyAccessToken(token_, keys_, {kIssuer, kAudience, kNow, 0}, cache_));
}

TEST_F(VerifiedTokenCacheTest, RefusedTokensAreNotCachedAndTheCacheStaysBounded) {
  std::string tampered = token_;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyAccessToken(tampered, keys_, {kIssuer, kAudience, kNow, 0}, cache_));
  EXPECT_EQ(cache_.size(), 0u);
  for (int i = 0; i < 10; ++i) {
    auto token = SignJwt(*key_, "at+jwt",
                         {{"iss", kIssuer},
                          {"sub", "ci_1"},
                          {"aud", kAudience},
                          {"iat", kNow},
                          {"exp", kNow + 60},
                          {"jti", "j" + std::to_string(i)},
                          {"client_id", "ci_1"}});
    ASSERT_TRUE(VerifyAccessToken(*token, keys_, {kIssuer, kAudience, kNow, 0}, cache_));
    EXPECT_LE(cache_.size(), 4u);
  }
}

}  // namespace
}  // namespace gatehouse::crypto
