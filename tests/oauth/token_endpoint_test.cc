#include "oauth/token_endpoint.h"

#include <gtest/gtest.h>

#include "common/base64url.h"
#include "oauth/client_auth.h"
#include "oauth/scope.h"
#include "oauth/token_check.h"
#include "oauth/token_id.h"
#include "testing/env_fixture.h"

namespace gatehouse::oauth {
namespace {

class TokenEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto orders = f_.apis->Create(f_.owner, f_.dev,
                                  {std::string("Orders"),
                                   std::string("https://orders.test"),
                                   std::vector<domain::Scope>{{"read", ""}, {"write", ""}},
                                   {},
                                   {}});
    ASSERT_TRUE(orders.has_value());
    api_client_id_ = orders->api.credential_client_id;
    api_secret_ = std::string(orders->credential_secret.Reveal());
    ASSERT_TRUE(
        f_.apis
            ->Create(f_.owner, f_.dev,
                     {std::string("Billing"), std::string("urn:billing"),
                      std::vector<domain::Scope>{{"pay", ""}}, int64_t{60}, std::string("EdDSA")})
            .has_value());
    auto one =
        f_.clients->Create(f_.owner, f_.dev,
                           {std::string("One"),
                            {},
                            {},
                            {},
                            std::vector<mgmt::GrantInput>{{"https://orders.test", {"read"}}}});
    auto two = f_.clients->Create(
        f_.owner, f_.dev,
        {std::string("Two"),
         {},
         std::string("client_secret_post"),
         {},
         std::vector<mgmt::GrantInput>{{"https://orders.test", {"read", "write"}},
                                       {"urn:billing", {"pay"}}}});
    ASSERT_TRUE(one && two);
    one_id_ = one->client.client_id;
    one_secret_ = std::string(one->secret.Reveal());
    one_row_ = one->client.id;
    two_id_ = two->client.client_id;
    two_secret_ = std::string(two->secret.Reveal());
  }

  std::string Basic(const std::string& id, const std::string& secret) {
    return "Basic " + Base64Encode(id + ":" + secret);
  }

  Result<IssuedToken> Request(const std::string& body, const std::string& authorization) {
    auto form = Form::Parse(body);
    if (!form) return Fail(form.error());
    return HandleTokenRequest(*form, authorization, *f_.Snapshot(f_.dev),
                              {f_.hasher, f_.clock, f_.random});
  }

  test::EnvFixture f_;
  std::string api_client_id_, api_secret_;
  std::string one_id_, one_secret_, one_row_, two_id_, two_secret_;
};

TEST_F(TokenEndpointTest, Rfc6749Errors) {
  struct Case {
    std::string name;
    std::string body;
    std::string auth;  // "one", "two-basic", "bad", "" (none)
    ErrorKind kind;
  };
  const std::vector<Case> cases = {
      {"no auth", "grant_type=client_credentials", "", ErrorKind::kInvalidClient},
      {"wrong secret", "grant_type=client_credentials", "bad", ErrorKind::kInvalidClient},
      {"unknown client", "grant_type=client_credentials&client_id=nope&client_secret=x", "",
       ErrorKind::kInvalidClient},
      {"post client using basic", "grant_type=client_credentials", "two-basic",
       ErrorKind::kInvalidClient},
      {"basic client using post",
       "grant_type=client_credentials&client_id=" + one_id_ + "&client_secret=" + one_secret_, "",
       ErrorKind::kInvalidClient},
      {"both methods", "grant_type=client_credentials&client_secret=" + one_secret_, "one",
       ErrorKind::kInvalidRequest},
      {"API credentials cannot get tokens",
       "grant_type=client_credentials&client_id=" + api_client_id_ +
           "&client_secret=" + api_secret_,
       "", ErrorKind::kInvalidClient},
      {"missing grant_type", "scope=read", "one", ErrorKind::kInvalidRequest},
      {"other grant", "grant_type=password", "one", ErrorKind::kUnsupportedGrantType},
      {"repeated grant_type", "grant_type=client_credentials&grant_type=client_credentials", "one",
       ErrorKind::kInvalidRequest},
      {"unknown API", "grant_type=client_credentials&audience=urn:nope", "one",
       ErrorKind::kInvalidTarget},
      {"ungranted API", "grant_type=client_credentials&audience=urn:billing", "one",
       ErrorKind::kInvalidTarget},
      {"audience and resource differ",
       "grant_type=client_credentials&audience=https://orders.test&resource=urn:x", "one",
       ErrorKind::kInvalidRequest},
      {"two resources", "grant_type=client_credentials&resource=a&resource=b", "one",
       ErrorKind::kInvalidTarget},
      {"scope not granted", "grant_type=client_credentials&scope=read%20write", "one",
       ErrorKind::kInvalidScope},
      {"scope of another API", "grant_type=client_credentials&scope=pay", "one",
       ErrorKind::kInvalidScope},
      {"several APIs need an audience",
       "grant_type=client_credentials&client_id=" + two_id_ + "&client_secret=" + two_secret_, "",
       ErrorKind::kInvalidRequest},
  };
  for (const auto& c : cases) {
    std::string auth = c.auth == "one"         ? Basic(one_id_, one_secret_)
                       : c.auth == "two-basic" ? Basic(two_id_, two_secret_)
                       : c.auth == "bad"       ? Basic(one_id_, "not-the-secret")
                                               : "";
    auto result = Request(c.body, auth);
    ASSERT_FALSE(result.has_value()) << c.name;
    EXPECT_EQ(result.error().kind, c.kind) << c.name << ": " << result.error().description;
  }
}

TEST_F(TokenEndpointTest, IssuesRfc9068Tokens) {
  auto token = Request("grant_type=client_credentials", Basic(one_id_, one_secret_));
  ASSERT_TRUE(token.has_value()) << token.error().description;
  EXPECT_EQ(token->scope, "read");  // absent scope = every granted scope
  EXPECT_EQ(token->expires_in, 3600);
  auto env = f_.Snapshot(f_.dev);
  auto checked = CheckAccessToken(token->access_token, "https://orders.test", *env,
                                  snapshot::RevocationList(), f_.clock.NowSeconds(), 0);
  ASSERT_TRUE(checked.has_value()) << checked.error().Name();
  EXPECT_EQ(checked->claims.iss, "https://auth.test/oauth/acme/development");
  EXPECT_EQ(checked->claims.sub, one_id_);
  EXPECT_EQ(checked->claims.client_id, one_id_);
  EXPECT_EQ(checked->claims.exp, checked->claims.iat + 3600);
  EXPECT_EQ(IssuedAtMillis(checked->claims.jti, checked->claims.iat),
            std::chrono::duration_cast<std::chrono::milliseconds>(f_.clock.Now().time_since_epoch())
                .count());

  // Post client, explicit resource and scope subset, EdDSA API with a 60 s lifetime.
  auto billing = Request(
      "grant_type=client_credentials&resource=urn%3Abilling&scope=pay&client_id=" + two_id_ +
          "&client_secret=" + two_secret_,
      "");
  ASSERT_TRUE(billing.has_value()) << billing.error().description;
  EXPECT_EQ(billing->expires_in, 60);
  auto header = Base64UrlDecode(billing->access_token.substr(0, billing->access_token.find('.')));
  EXPECT_NE(header->find("\"alg\":\"EdDSA\""), std::string::npos);
  EXPECT_NE(header->find("\"typ\":\"at+jwt\""), std::string::npos);
  auto subset =
      Request("grant_type=client_credentials&audience=https://orders.test&scope=write+write", "");
  EXPECT_FALSE(subset.has_value());  // no credentials at all
}

TEST_F(TokenEndpointTest, TokenChecksFollowManagementWrites) {
  auto token = Request("grant_type=client_credentials", Basic(one_id_, one_secret_));
  ASSERT_TRUE(token.has_value());
  snapshot::RevocationList revocations;
  auto check = [&](std::string_view audience = "https://orders.test") {
    return CheckAccessToken(token->access_token, audience, *f_.Snapshot(f_.dev), revocations,
                            f_.clock.NowSeconds(), 0);
  };
  ASSERT_TRUE(check().has_value());
  EXPECT_EQ(check("urn:billing").error().Name(), "wrong_audience");
  EXPECT_EQ(CheckAccessToken(token->access_token, "https://orders.test", *f_.Snapshot(f_.prod),
                             revocations, f_.clock.NowSeconds(), 0)
                .error()
                .Name(),
            "unknown_kid");  // another environment never accepts it

  // Revoke-tokens refuses tokens issued before it, and not tokens issued after it, even in
  // the same second.
  f_.clock.Advance(std::chrono::milliseconds(100));
  ASSERT_TRUE(f_.clients->RevokeTokens(f_.owner, f_.dev, one_row_).has_value());
  EXPECT_EQ(check().error().Name(), "client_tokens_revoked");
  f_.clock.Advance(std::chrono::milliseconds(100));
  auto fresh = Request("grant_type=client_credentials", Basic(one_id_, one_secret_));
  ASSERT_TRUE(fresh.has_value());
  EXPECT_TRUE(CheckAccessToken(fresh->access_token, "https://orders.test", *f_.Snapshot(f_.dev),
                               revocations, f_.clock.NowSeconds(), 0)
                  .has_value());

  auto claims = CheckAccessToken(fresh->access_token, "https://orders.test", *f_.Snapshot(f_.dev),
                                 revocations, f_.clock.NowSeconds(), 0)
                    ->claims;
  revocations.Add(f_.dev, claims.jti, claims.exp);
  EXPECT_EQ(CheckAccessToken(fresh->access_token, "https://orders.test", *f_.Snapshot(f_.dev),
                             revocations, f_.clock.NowSeconds(), 0)
                .error()
                .Name(),
            "revoked");

  f_.clock.Advance(std::chrono::seconds(3600));
  EXPECT_EQ(check().error().Name(), "expired");
}

TEST_F(TokenEndpointTest, RotatedSecretWorksUntilItsGraceEnds) {
  auto rotated = f_.clients->RotateSecret(f_.owner, f_.dev, one_row_, 60);
  ASSERT_TRUE(rotated.has_value());
  EXPECT_TRUE(Request("grant_type=client_credentials", Basic(one_id_, one_secret_)).has_value());
  EXPECT_TRUE(Request("grant_type=client_credentials",
                      Basic(one_id_, std::string(rotated->secret.Reveal())))
                  .has_value());
  f_.clock.Advance(std::chrono::seconds(61));
  EXPECT_EQ(Request("grant_type=client_credentials", Basic(one_id_, one_secret_)).error().kind,
            ErrorKind::kInvalidClient);
}

TEST(TokenIdTest, CarriesTheIssueInstant) {
  test::SeededRandom random;
  const std::string jti = NewTokenId(1'800'000'000'123, random);
  EXPECT_EQ(jti.size(), 32u);
  EXPECT_EQ(IssuedAtMillis(jti, 1'800'000'000), 1'800'000'000'123);
  // A jti that disagrees with iat, or is not ours, falls back to the end of the iat second.
  EXPECT_EQ(IssuedAtMillis(jti, 1'800'000'001), 1'800'000'001'999);
  EXPECT_EQ(IssuedAtMillis("not-ours", 5), 5'999);
}

TEST(FormTest, DecodesAndRejectsDuplicates) {
  auto form = Form::Parse("a=1&b=x+y%21&empty=&c=%3D&a=2");
  ASSERT_TRUE(form.has_value());
  EXPECT_EQ(form->Get("b").value_or("?"), "x y!");
  EXPECT_EQ(form->Get("c").value_or("?"), "=");
  EXPECT_FALSE(form->Get("empty").has_value());
  EXPECT_FALSE(form->RejectDuplicates({"a"}).has_value());
  EXPECT_TRUE(form->RejectDuplicates({"b", "empty"}).has_value());
  EXPECT_FALSE(Form::Parse("a=%zz").has_value());
}

TEST(ClientCredentialsTest, BasicHalvesAreFormDecoded) {
  auto form = Form::Parse("");
  // RFC 6749 §2.3.1: "a:b" as client_id is sent as "a%3Ab".
  auto creds = ExtractCredentials("Basic " + Base64Encode("a%3Ab:s%20ecret"), *form);
  ASSERT_TRUE(creds.has_value());
  EXPECT_EQ(creds->client_id, "a:b");
  EXPECT_EQ(creds->secret.Reveal(), "s ecret");
  EXPECT_EQ(ExtractCredentials("Bearer abc", *form).error().kind, ErrorKind::kInvalidClient);
  EXPECT_EQ(ExtractCredentials("Basic !!!", *form).error().kind, ErrorKind::kInvalidClient);
}

}  // namespace
}  // namespace gatehouse::oauth

namespace gatehouse::oauth {
namespace {

TEST(ScopeTokensTest, SplitsOnSpacesSkippingEmptyTokens) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(ScopeTokens(""), V{});
  EXPECT_EQ(ScopeTokens("read"), V{"read"});
  EXPECT_EQ(ScopeTokens("read write"), (V{"read", "write"}));
  EXPECT_EQ(ScopeTokens("  read   write "), (V{"read", "write"}));
}

}  // namespace
}  // namespace gatehouse::oauth
