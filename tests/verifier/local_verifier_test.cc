#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <thread>

#include "common/base64url.h"
#include "crypto/jws.h"
#include "crypto/private_key.h"
#include "gatehouse/verifier.h"
#include "testing/test_keys.h"
#include "verifier/fakes.h"

namespace gatehouse::verifier {
namespace {

using namespace std::chrono_literals;
using crypto::Alg;
using crypto::PrivateKey;
using test::FakeClock;
using test::FakeFetcher;

constexpr int64_t kNow = 1'700'000'000;
const std::string kIssuer = "https://gh.test/oauth/acme/production";
const std::string kAudience = "https://orders.test";
const std::string kMetadataUrl = kIssuer + "/.well-known/oauth-authorization-server";
const std::string kJwksUrl = kIssuer + "/jwks.json";

boost::json::object Claims(int64_t now = kNow) {
  return {{"iss", kIssuer}, {"sub", "client-1"},      {"aud", kAudience}, {"client_id", "client-1"},
          {"jti", "jti-1"}, {"scope", "read:orders"}, {"iat", now - 10},  {"exp", now + 300}};
}

std::string Sign(const PrivateKey& key, const boost::json::object& claims = Claims()) {
  return *crypto::SignJwt(key, "at+jwt", claims);
}

std::string SignWithHeader(const PrivateKey& key, const boost::json::object& header,
                           const boost::json::object& claims = Claims()) {
  std::string input = Base64UrlEncode(boost::json::serialize(header)) + "." +
                      Base64UrlEncode(boost::json::serialize(claims));
  return input + "." + Base64UrlEncode(*key.Sign(input));
}

std::string Jwks(std::initializer_list<const PrivateKey*> keys) {
  boost::json::array a;
  for (const auto* k : keys) a.push_back(k->PublicJwk());
  return boost::json::serialize(boost::json::object{{"keys", a}});
}

class LocalVerifierTest : public ::testing::Test {
 protected:
  LocalVerifierTest() {
    fetcher_->Set(
        kMetadataUrl, 200,
        boost::json::serialize(boost::json::object{{"issuer", kIssuer}, {"jwks_uri", kJwksUrl}}));
    fetcher_->Set(kJwksUrl, 200, Jwks({&key_}), "public, max-age=300");
  }
  std::unique_ptr<Verifier> Make() {
    return std::make_unique<Verifier>(VerifierOptions{.issuer = kIssuer,
                                                      .audience = kAudience,
                                                      .max_stale = std::chrono::hours(24),
                                                      .fetcher = fetcher_,
                                                      .clock = clock_});
  }

  const PrivateKey& key_ = gatehouse::test::TestKey(Alg::kES256);
  std::shared_ptr<FakeFetcher> fetcher_ = std::make_shared<FakeFetcher>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>(kNow);
};

TEST_F(LocalVerifierTest, AcceptsValidTokenForEveryAlgAndCachesKeys) {
  for (Alg alg : gatehouse::test::kAllAlgs) {
    const PrivateKey& key = gatehouse::test::TestKey(alg);
    fetcher_->Set(kJwksUrl, 200, Jwks({&key}), "max-age=300");
    auto verifier = Make();
    VerifyResult r = verifier->Verify(Sign(key), "read:orders");
    ASSERT_TRUE(r.ok()) << crypto::AlgName(alg) << " " << r.reason;
    EXPECT_EQ(r.claims.client_id, "client-1");
    EXPECT_EQ(r.claims.issuer, kIssuer);
    EXPECT_EQ(r.claims.kid, key.kid());
    EXPECT_TRUE(r.claims.HasAudience(kAudience));
    EXPECT_EQ(r.HttpStatus(), 200);
  }
  fetcher_->Set(kJwksUrl, 200, Jwks({&key_}), "max-age=300");
  const int before = fetcher_->TotalCalls();
  auto verifier = Make();
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(verifier->Verify(Sign(key_)).ok());
  EXPECT_EQ(fetcher_->TotalCalls() - before, 2);  // metadata + JWKS, once
}

TEST_F(LocalVerifierTest, RefusesEveryInvalidTokenWithItsReason) {
  const PrivateKey& other = gatehouse::test::TestKey(Alg::kEdDSA);
  auto claims_with = [](std::string_view name, boost::json::value v) {
    auto c = Claims();
    c[name] = std::move(v);
    return c;
  };
  auto claims_without = [](std::string_view name) {
    auto c = Claims();
    c.erase(name);
    return c;
  };
  std::string good = Sign(key_);
  std::string flipped = good;
  flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
  struct Case {
    std::string name;
    std::string token;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"empty", "", "missing_token"},
      {"not a jws", "abc.def", "malformed"},
      {"header injection", good + "\r\nX: y", "malformed"},
      {"too large", std::string(20000, 'a'), "malformed"},
      {"expired", Sign(key_, claims_with("exp", kNow)), "expired"},
      {"issued in future", Sign(key_, claims_with("iat", kNow + 60)), "issued_in_future"},
      {"not yet valid", Sign(key_, claims_with("nbf", kNow + 60)), "not_yet_valid"},
      {"wrong issuer", Sign(key_, claims_with("iss", boost::json::value(kIssuer + "/"))),
       "wrong_issuer"},
      {"wrong audience", Sign(key_, claims_with("aud", "https://other.test")), "wrong_audience"},
      {"missing client_id", Sign(key_, claims_without("client_id")), "missing_claim"},
      {"bad signature", flipped, "bad_signature"},
      {"unknown key", Sign(other), "unknown_kid"},
      {"missing kid", SignWithHeader(key_, {{"alg", "ES256"}, {"typ", "at+jwt"}}), "missing_kid"},
      {"alg none", SignWithHeader(key_, {{"alg", "none"}, {"typ", "at+jwt"}, {"kid", key_.kid()}}),
       "unsupported_alg"},
      {"alg HS256",
       SignWithHeader(key_, {{"alg", "HS256"}, {"typ", "at+jwt"}, {"kid", key_.kid()}}),
       "unsupported_alg"},
      {"alg mismatch",
       SignWithHeader(key_, {{"alg", "RS256"}, {"typ", "at+jwt"}, {"kid", key_.kid()}}),
       "alg_mismatch"},
      {"typ JWT", SignWithHeader(key_, {{"alg", "ES256"}, {"typ", "JWT"}, {"kid", key_.kid()}}),
       "wrong_type"},
  };
  auto verifier = Make();
  for (const Case& c : cases) {
    VerifyResult r = verifier->Verify(c.token, "read:orders");
    EXPECT_EQ(r.outcome, Outcome::kInvalidToken) << c.name;
    EXPECT_EQ(r.reason, c.reason) << c.name;
    EXPECT_EQ(r.HttpStatus(), 401) << c.name;
    EXPECT_EQ(r.ErrorCode(), "invalid_token") << c.name;
    EXPECT_FALSE(r.description.empty()) << c.name;
  }
}

TEST_F(LocalVerifierTest, RefusesMissingScopeAsInsufficientScope) {
  auto verifier = Make();
  VerifyResult r = verifier->Verify(Sign(key_), "read:orders write:orders");
  EXPECT_EQ(r.outcome, Outcome::kInsufficientScope);
  EXPECT_EQ(r.HttpStatus(), 403);
  EXPECT_EQ(r.description, "the token lacks scope write:orders");
  EXPECT_EQ(BuildWwwAuthenticate(r, "orders"),
            "Bearer realm=\"orders\", error=\"insufficient_scope\", "
            "scope=\"read:orders write:orders\"");
  // A prefix of a scope is not the scope.
  EXPECT_EQ(verifier->Verify(Sign(key_), "read").outcome, Outcome::kInsufficientScope);
  EXPECT_TRUE(verifier->Verify(Sign(key_), "").ok());
}

TEST_F(LocalVerifierTest, LeewayToleratesSkew) {
  auto verifier = std::make_unique<Verifier>(VerifierOptions{.issuer = kIssuer,
                                                             .audience = kAudience,
                                                             .leeway = 30s,
                                                             .fetcher = fetcher_,
                                                             .clock = clock_});
  auto c = Claims();
  c["exp"] = kNow - 10;
  EXPECT_TRUE(verifier->Verify(Sign(key_, c)).ok());
  c["exp"] = kNow - 30;
  EXPECT_EQ(verifier->Verify(Sign(key_, c)).reason, "expired");
}

TEST_F(LocalVerifierTest, RotationIsPickedUpOnUnknownKid) {
  auto verifier = Make();
  ASSERT_TRUE(verifier->Verify(Sign(key_)).ok());
  const PrivateKey& next = gatehouse::test::TestKey(Alg::kRS256);
  fetcher_->Set(kJwksUrl, 200, Jwks({&next, &key_}), "max-age=300");
  clock_->Advance(11s);
  VerifyResult r = verifier->Verify(Sign(next, Claims(clock_->seconds())));
  EXPECT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(fetcher_->Calls(kJwksUrl), 2);
  EXPECT_TRUE(verifier->Verify(Sign(key_, Claims(clock_->seconds()))).ok());  // retiring key
  // The old key is dropped from the JWKS: after the cache expires it is refused.
  fetcher_->Set(kJwksUrl, 200, Jwks({&next}), "max-age=300");
  clock_->Advance(301s);
  EXPECT_EQ(verifier->Verify(Sign(key_, Claims(clock_->seconds()))).reason, "unknown_kid");
}

TEST_F(LocalVerifierTest, UnknownKidRefetchIsRateLimited) {
  auto verifier = Make();
  ASSERT_TRUE(verifier->Verify(Sign(key_)).ok());
  ASSERT_EQ(fetcher_->Calls(kJwksUrl), 1);
  const PrivateKey& stranger = gatehouse::test::TestKey(Alg::kEdDSA);
  // Within 10 s of the last fetch: no refetch at all, however many forged kids arrive.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(verifier->Verify(Sign(stranger)).reason, "unknown_kid");
  }
  EXPECT_EQ(fetcher_->Calls(kJwksUrl), 1);
  clock_->Advance(10s);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(verifier->Verify(Sign(stranger, Claims(clock_->seconds()))).reason, "unknown_kid");
  }
  EXPECT_EQ(fetcher_->Calls(kJwksUrl), 2);  // one refetch per 10 s
  clock_->Advance(10s);
  verifier->Verify(Sign(stranger, Claims(clock_->seconds())));
  EXPECT_EQ(fetcher_->Calls(kJwksUrl), 3);
}

TEST_F(LocalVerifierTest, HonoursCacheControlMaxAge) {
  fetcher_->Set(kJwksUrl, 200, Jwks({&key_}), "max-age=60");
  auto verifier = Make();
  ASSERT_TRUE(verifier->Verify(Sign(key_)).ok());
  clock_->Advance(59s);
  ASSERT_TRUE(verifier->Verify(Sign(key_, Claims(clock_->seconds()))).ok());
  EXPECT_EQ(fetcher_->Calls(kJwksUrl), 1);
  clock_->Advance(1s);
  ASSERT_TRUE(verifier->Verify(Sign(key_, Claims(clock_->seconds()))).ok());
  EXPECT_EQ(fetcher_->Calls(kJwksUrl), 2);
  EXPECT_EQ(fetcher_->Calls(kMetadataUrl), 1);  // the jwks_uri is remembered
}

TEST_F(LocalVerifierTest, KeepsKeysThroughAnOutageForMaxStale) {
  auto verifier = Make();
  ASSERT_TRUE(verifier->Verify(Sign(key_)).ok());
  fetcher_->SetDown(true);
  clock_->Advance(3600s);  // long past max-age: stale keys still serve
  EXPECT_TRUE(verifier->Verify(Sign(key_, Claims(clock_->seconds()))).ok());
  const int calls = fetcher_->TotalCalls();
  EXPECT_TRUE(verifier->Verify(Sign(key_, Claims(clock_->seconds()))).ok());
  EXPECT_EQ(fetcher_->TotalCalls(), calls);  // failed refresh attempts are rate-limited too
  clock_->Advance(std::chrono::hours(22));
  EXPECT_TRUE(verifier->Verify(Sign(key_, Claims(clock_->seconds()))).ok());
  clock_->Advance(std::chrono::hours(1));  // 24 h after the last successful fetch
  VerifyResult r = verifier->Verify(Sign(key_, Claims(clock_->seconds())));
  EXPECT_EQ(r.outcome, Outcome::kUnavailable);
  EXPECT_EQ(r.reason, "keys_unavailable");
  EXPECT_EQ(r.HttpStatus(), 503);
  EXPECT_EQ(BuildWwwAuthenticate(r, "orders"), "");
  fetcher_->SetDown(false);
  clock_->Advance(10s);
  EXPECT_TRUE(verifier->Verify(Sign(key_, Claims(clock_->seconds()))).ok());
}

TEST_F(LocalVerifierTest, FailsClosedWhenNoKeysWereEverFetched) {
  fetcher_->SetDown(true);
  auto verifier = Make();
  std::string error;
  EXPECT_FALSE(verifier->Prefetch(&error));
  EXPECT_NE(error.find("Connection refused"), std::string::npos) << error;
  clock_->Advance(10s);
  EXPECT_EQ(verifier->Verify(Sign(key_, Claims(clock_->seconds()))).outcome, Outcome::kUnavailable);
  const int calls = fetcher_->TotalCalls();
  EXPECT_EQ(verifier->Verify(Sign(key_, Claims(clock_->seconds()))).outcome, Outcome::kUnavailable);
  EXPECT_EQ(fetcher_->TotalCalls(), calls);  // no retry within 10 s
  fetcher_->SetDown(false);
  clock_->Advance(10s);
  EXPECT_TRUE(verifier->Verify(Sign(key_, Claims(clock_->seconds()))).ok());
}

TEST_F(LocalVerifierTest, RefusesMetadataOfAnotherIssuer) {
  fetcher_->Set(kMetadataUrl, 200,
                boost::json::serialize(
                    boost::json::object{{"issuer", "https://evil.test"}, {"jwks_uri", kJwksUrl}}));
  auto verifier = Make();
  std::string error;
  EXPECT_FALSE(verifier->Prefetch(&error));
  EXPECT_NE(error.find("issuer does not match"), std::string::npos) << error;
  EXPECT_EQ(verifier->Verify(Sign(key_)).outcome, Outcome::kUnavailable);
}

TEST_F(LocalVerifierTest, IgnoresUnusableAndAmbiguousKeys) {
  boost::json::array keys;
  keys.push_back({{"kty", "oct"}, {"k", "c2VjcmV0"}, {"alg", "HS256"}, {"kid", "hmac"}});
  keys.push_back(key_.PublicJwk());
  auto dup = gatehouse::test::TestKey(Alg::kEdDSA).PublicJwk();
  dup["kid"] = "twice";
  keys.push_back(dup);
  keys.push_back(dup);
  fetcher_->Set(kJwksUrl, 200, boost::json::serialize(boost::json::object{{"keys", keys}}));
  auto verifier = Make();
  EXPECT_TRUE(verifier->Verify(Sign(key_)).ok());
  const auto& ed = gatehouse::test::TestKey(Alg::kEdDSA);
  EXPECT_EQ(
      verifier->Verify(SignWithHeader(ed, {{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", "twice"}}))
          .reason,
      "unknown_kid");
}

TEST_F(LocalVerifierTest, OneVerifierServesManyThreads) {
  auto verifier = Make();
  const std::string token = Sign(key_);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) ok += verifier->Verify(token, "read:orders").ok();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 400);
  EXPECT_EQ(fetcher_->Calls(kJwksUrl), 1);
}

}  // namespace
}  // namespace gatehouse::verifier
