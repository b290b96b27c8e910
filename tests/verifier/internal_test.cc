#include "verifier/internal.h"

#include <gtest/gtest.h>

namespace gatehouse::verifier::internal {
namespace {

using std::chrono::seconds;

TEST(CacheLifetime, ParsesMaxAgeAndClamps) {
  struct Case {
    std::string_view header;
    int64_t want;
  };
  constexpr Case kCases[] = {
      {"", 300},
      {"max-age=60", 60},
      {"public, max-age=120", 120},
      {"MAX-AGE=90", 90},
      {"max-age=\"45\"", 45},
      {"max-age=1", 10},
      {"max-age=999999", 3600},
      {"max-age=abc", 300},
      {"no-store", 10},
      {"no-cache, max-age=60", 10},
      {"max-age=-5", 300},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(CacheLifetime(c.header, seconds(300), seconds(10), seconds(3600)).count(), c.want)
        << c.header;
  }
}

TEST(IsB64Token, AllowsOnlyTokenCharacters) {
  EXPECT_TRUE(IsB64Token("abc.DEF-_~+/=="));
  EXPECT_FALSE(IsB64Token(""));
  EXPECT_FALSE(IsB64Token("=abc"));
  EXPECT_FALSE(IsB64Token("ab=c"));
  EXPECT_FALSE(IsB64Token("a b"));
  EXPECT_FALSE(IsB64Token("a\r\nb"));
  EXPECT_FALSE(IsB64Token("a\"b"));
}

TEST(ClaimsFromJson, RequiresTheCoreClaims) {
  auto c = ClaimsFromJson(
      R"({"iss":"i","sub":"s","client_id":"c","exp":5,"aud":["a","b"],"scope":"x y"})");
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->HasAudience("b"));
  EXPECT_TRUE(c->HasScope("y"));
  EXPECT_FALSE(c->HasScope("x y"));
  EXPECT_FALSE(ClaimsFromJson(R"({"iss":"i","sub":"s","exp":5})").has_value());
  EXPECT_FALSE(ClaimsFromJson("[]").has_value());
}

}  // namespace
}  // namespace gatehouse::verifier::internal
