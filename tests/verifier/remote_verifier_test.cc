#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "gatehouse/verifier.h"
#include "verifier/fakes.h"

namespace gatehouse::verifier {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;
using test::FakeFetcher;

constexpr int64_t kNow = 1'700'000'000;
const std::string kIssuer = "https://gh.test/oauth/acme/production";
const std::string kAudience = "https://orders.test/api v1";
const std::string kMetadataUrl = kIssuer + "/.well-known/oauth-authorization-server";
const std::string kVerifyUrl = kIssuer + "/verify";
constexpr std::string_view kToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjIn0.c2ln";

std::string ClaimsJson(int64_t exp = kNow + 300) {
  return boost::json::serialize(boost::json::object{{"iss", kIssuer},
                                                    {"sub", "client-1"},
                                                    {"aud", kAudience},
                                                    {"client_id", "client-1"},
                                                    {"jti", "jti-1"},
                                                    {"scope", "read:orders"},
                                                    {"iat", kNow - 10},
                                                    {"exp", exp}});
}

class RemoteVerifierTest : public ::testing::Test {
 protected:
  RemoteVerifierTest() {
    fetcher_->Set(kMetadataUrl, 200,
                  boost::json::serialize(
                      boost::json::object{{"issuer", kIssuer}, {"verify_endpoint", kVerifyUrl}}));
    fetcher_->Set(kVerifyUrl, 200, ClaimsJson());
  }
  std::unique_ptr<Verifier> Make(std::chrono::milliseconds ttl = 5s) {
    return std::make_unique<Verifier>(VerifierOptions{.issuer = kIssuer,
                                                      .audience = kAudience,
                                                      .mode = Mode::kRemote,
                                                      .remote_cache_ttl = ttl,
                                                      .fetcher = fetcher_,
                                                      .clock = clock_});
  }
  std::shared_ptr<FakeFetcher> fetcher_ = std::make_shared<FakeFetcher>();
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>(kNow);
};

TEST_F(RemoteVerifierTest, AsksTheVerifyEndpointWithAudienceScopeAndBearer) {
  auto verifier = Make();
  VerifyResult r = verifier->Verify(kToken, "read:orders");
  ASSERT_TRUE(r.ok()) << r.reason << " " << r.description;
  EXPECT_EQ(r.claims.client_id, "client-1");
  EXPECT_EQ(r.claims.scope, "read:orders");
  HttpRequest last = fetcher_->Last();
  EXPECT_EQ(last.url,
            kVerifyUrl + "?audience=https%3A%2F%2Forders.test%2Fapi%20v1&scope=read%3Aorders");
  EXPECT_EQ(last.bearer, kToken);
}

TEST_F(RemoteVerifierTest, CachesPositiveAnswersBriefly) {
  auto verifier = Make(5s);
  ASSERT_TRUE(verifier->Verify(kToken, "read:orders").ok());
  ASSERT_TRUE(verifier->Verify(kToken, "read:orders").ok());
  EXPECT_EQ(fetcher_->Calls(kVerifyUrl), 1);
  // Another scope set is another question.
  ASSERT_TRUE(verifier->Verify(kToken, "").ok());
  EXPECT_EQ(fetcher_->Calls(kVerifyUrl), 2);
  clock_->Advance(5s);
  fetcher_->Set(kVerifyUrl, 401,
                R"({"error":"invalid_token","error_description":"the token has been revoked"})");
  VerifyResult r = verifier->Verify(kToken, "read:orders");
  EXPECT_EQ(r.outcome, Outcome::kInvalidToken);
  EXPECT_EQ(r.reason, "rejected");
  EXPECT_EQ(r.description, "the token has been revoked");
  EXPECT_EQ(BuildWwwAuthenticate(r, "orders"),
            "Bearer realm=\"orders\", error=\"invalid_token\", "
            "error_description=\"the token has been revoked\"");
  // Refusals are not cached.
  verifier->Verify(kToken, "read:orders");
  EXPECT_EQ(fetcher_->Calls(kVerifyUrl), 4);
}

TEST_F(RemoteVerifierTest, ZeroTtlDisablesTheCacheAndExpNeverExtendsIt) {
  auto uncached = Make(0ms);
  uncached->Verify(kToken);
  uncached->Verify(kToken);
  EXPECT_EQ(fetcher_->Calls(kVerifyUrl), 2);
  fetcher_->Set(kVerifyUrl, 200, ClaimsJson(kNow + 2));
  auto verifier = Make(5s);
  ASSERT_TRUE(verifier->Verify(kToken).ok());
  clock_->Advance(2s);
  verifier->Verify(kToken);
  EXPECT_EQ(fetcher_->Calls(kVerifyUrl), 4);  // cached only until exp
}

TEST_F(RemoteVerifierTest, MapsEachAnswer) {
  auto verifier = Make(0ms);
  fetcher_->Set(kVerifyUrl, 403, R"({"error":"insufficient_scope"})");
  VerifyResult r = verifier->Verify(kToken, "write:orders");
  EXPECT_EQ(r.outcome, Outcome::kInsufficientScope);
  EXPECT_EQ(r.HttpStatus(), 403);
  fetcher_->Set(kVerifyUrl, 500, "{}");
  EXPECT_EQ(verifier->Verify(kToken).outcome, Outcome::kUnavailable);
  fetcher_->Set(kVerifyUrl, 200, "not json");
  EXPECT_EQ(verifier->Verify(kToken).outcome, Outcome::kUnavailable);
  fetcher_->SetDown(true);
  r = verifier->Verify(kToken);
  EXPECT_EQ(r.outcome, Outcome::kUnavailable);
  EXPECT_EQ(r.reason, "verify_endpoint_unavailable");
  EXPECT_EQ(r.HttpStatus(), 503);
  // Malformed tokens never leave the process.
  const int calls = fetcher_->TotalCalls();
  EXPECT_EQ(verifier->Verify("a b").reason, "malformed");
  EXPECT_EQ(verifier->Verify("").reason, "missing_token");
  EXPECT_EQ(fetcher_->TotalCalls(), calls);
}

TEST_F(RemoteVerifierTest, ChecksScopesOfTheAnswerToo) {
  auto verifier = Make();
  // Even if a (misbehaving) endpoint says 200, a missing scope is a refusal.
  VerifyResult r = verifier->Verify(kToken, "write:orders");
  EXPECT_EQ(r.outcome, Outcome::kInsufficientScope);
}

TEST(WwwAuthenticate, FollowsRfc6750) {
  VerifyResult missing;
  missing.outcome = Outcome::kInvalidToken;
  missing.reason = "missing_token";
  EXPECT_EQ(BuildWwwAuthenticate(missing, "api"), "Bearer realm=\"api\"");
  VerifyResult bad = missing;
  bad.reason = "expired";
  bad.description = "the \"token\" has\r\n expired\\";
  EXPECT_EQ(BuildWwwAuthenticate(bad, "api"),
            "Bearer realm=\"api\", error=\"invalid_token\", "
            "error_description=\"the token has expired\"");
  VerifyResult ok;
  ok.outcome = Outcome::kOk;
  EXPECT_EQ(BuildWwwAuthenticate(ok, "api"), "");
}

TEST(BearerToken, ParsesTheAuthorizationHeader) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer  abc "), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
  EXPECT_EQ(BearerToken(""), "");
}

}  // namespace
}  // namespace gatehouse::verifier
