#include "cli/client_requests.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gatehouse::cli {
namespace {

namespace json = boost::json;

TEST(ParseGrantTest, Cases) {
  struct Case {
    std::string_view text;
    bool ok;
    std::string_view api;
    std::vector<std::string> scopes;
  };
  const Case kCases[] = {
      {"https://api.test=read:orders", true, "https://api.test", {"read:orders"}},
      {"https://api.test=read:orders,write:orders",
       true,
       "https://api.test",
       {"read:orders", "write:orders"}},
      {"api= a , b ", true, "api", {"a", "b"}},
      {"api=a,a", true, "api", {"a"}},
      {"api=a=b", true, "api", {"a=b"}},
      {"api", false, "", {}},
      {"=read", false, "", {}},
      {"api=", false, "", {}},
      {"api=a,,b", false, "", {}},
      {"api=a,", false, "", {}},
      {"api=read orders", false, "", {}},
  };
  for (const Case& c : kCases) {
    auto grant = ParseGrant(c.text);
    ASSERT_EQ(grant.has_value(), c.ok) << c.text;
    if (!c.ok) {
      EXPECT_EQ(grant.error().field, "grant");
      EXPECT_NE(grant.error().description.find(std::string(c.text)), std::string::npos);
      continue;
    }
    EXPECT_EQ(grant->api, c.api) << c.text;
    EXPECT_EQ(grant->scopes, c.scopes) << c.text;
  }
}

TEST(ParseGrantsTest, MergesFlagsForTheSameApi) {
  auto grants = ParseGrants({"a=read", "b=x", "a=write,read"});
  ASSERT_TRUE(grants);
  ASSERT_EQ(grants->size(), 2u);
  EXPECT_EQ((*grants)[0].api, "a");
  EXPECT_EQ((*grants)[0].scopes, (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ((*grants)[1].api, "b");
  EXPECT_FALSE(ParseGrants({"a=read", "bad"}));
}

TEST(ParseScopeTest, NameAndOptionalDescription) {
  auto plain = ParseScope("read:orders");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->name, "read:orders");
  EXPECT_EQ(plain->description, "");
  auto described = ParseScope("read:orders=Read the orders = all of them");
  ASSERT_TRUE(described);
  EXPECT_EQ(described->name, "read:orders");
  EXPECT_EQ(described->description, "Read the orders = all of them");
  EXPECT_FALSE(ParseScope(""));
  EXPECT_FALSE(ParseScope("=x"));
  EXPECT_FALSE(ParseScope("read orders"));
}

TEST(BuildBodyTest, Credentials) {
  EXPECT_EQ(BuildCredentialsBody("a@b.test", SecretString("pw")),
            json::parse(R"({"email":"a@b.test","password":"pw"})"));
}

TEST(BuildBodyTest, ProjectCreateLeavesDefaultsToTheServer) {
  EXPECT_EQ(BuildProjectCreate({"Acme", std::nullopt, {}}), json::parse(R"({"name":"Acme"})"));
  EXPECT_EQ(BuildProjectCreate({"Acme", "Payments", {"development", "production"}}),
            json::parse(R"({"name":"Acme","description":"Payments",
                            "environments":["development","production"]})"));
}

TEST(BuildBodyTest, ProjectUpdateNeedsAChange) {
  EXPECT_FALSE(BuildProjectUpdate({}));
  auto body = BuildProjectUpdate({std::nullopt, ""});
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, json::parse(R"({"description":""})"));
}

TEST(BuildBodyTest, ApiCreate) {
  ApiCreateArgs args{
      "Orders", "https://orders.test", {"read:orders=Read", "write:orders"}, 600, "EdDSA"};
  auto body = BuildApiCreate(args);
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, json::parse(R"({"name":"Orders","identifier":"https://orders.test",
      "scopes":[{"name":"read:orders","description":"Read"},
                {"name":"write:orders","description":""}],
      "token_lifetime":600,"signing_alg":"EdDSA"})"));

  auto minimal = BuildApiCreate({"Orders", "https://orders.test", {}, std::nullopt, std::nullopt});
  ASSERT_TRUE(minimal);
  EXPECT_FALSE(minimal->contains("token_lifetime"));
  EXPECT_FALSE(minimal->contains("signing_alg"));
  EXPECT_TRUE(minimal->at("scopes").as_array().empty());

  args.scopes = {"bad scope"};
  auto bad = BuildApiCreate(args);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "scope");
}

TEST(BuildBodyTest, ClientCreate) {
  ClientCreateArgs args{"Billing",
                        "nightly job",
                        "client_secret_post",
                        {"https://orders.test=read:orders", "https://orders.test=write:orders"}};
  auto body = BuildClientCreate(args);
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, json::parse(R"({"name":"Billing","description":"nightly job",
      "token_endpoint_auth_method":"client_secret_post",
      "grants":[{"api":"https://orders.test","scopes":["read:orders","write:orders"]}]})"));
  args.grants = {"nope"};
  EXPECT_FALSE(BuildClientCreate(args));
}

TEST(BuildBodyTest, RotateSecret) {
  EXPECT_EQ(BuildRotateSecret(std::nullopt), json::object());
  EXPECT_EQ(BuildRotateSecret(0), json::parse(R"({"previous_secret_ttl":0})"));
  EXPECT_EQ(BuildRotateSecret(3600), json::parse(R"({"previous_secret_ttl":3600})"));
}

TEST(PathTest, SegmentsCannotEscape) {
  EXPECT_EQ(PathSegment("prj_123-a.b~c"), "prj_123-a.b~c");
  EXPECT_EQ(PathSegment("../x"), "..%2Fx");
  EXPECT_EQ(PathSegment(".."), "%2E%2E");
  EXPECT_EQ(PathSegment("."), "%2E");
  EXPECT_EQ(PathSegment("a b?c#d"), "a%20b%3Fc%23d");
}

TEST(PathTest, PageTarget) {
  EXPECT_EQ(PageTarget("/api/v1/projects", ""), "/api/v1/projects?limit=200");
  EXPECT_EQ(PageTarget("/api/v1/projects", "abc+/="),
            "/api/v1/projects?limit=200&cursor=abc%2B%2F%3D");
}

}  // namespace
}  // namespace gatehouse::cli
