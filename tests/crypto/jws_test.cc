#include "crypto/jws.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "common/base64url.h"
#include "testing/test_keys.h"

namespace gatehouse::crypto {
namespace {

using test::kAllAlgs;
using test::TestKey;

std::string B64(std::string_view s) { return Base64UrlEncode(s); }

TEST(JwsTest, SignJwtHeaderAndRoundTrip) {
  const boost::json::object claims{{"sub", "c1"}, {"n", 42}};
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(AlgName(alg));
    const PrivateKey& key = TestKey(alg);
    auto token = SignJwt(key, "at+jwt", claims);
    ASSERT_TRUE(token.has_value());
    auto jws = ParseCompactJws(*token);
    ASSERT_TRUE(jws.has_value()) << jws.error().detail;
    const boost::json::object want_header{
        {"alg", AlgName(alg)}, {"typ", "at+jwt"}, {"kid", key.kid()}};
    EXPECT_EQ(jws->header, want_header);
    EXPECT_EQ(jws->header.size(), 3u);
    EXPECT_EQ(jws->payload, claims);
    EXPECT_EQ(jws->signing_input, token->substr(0, token->rfind('.')));
    EXPECT_TRUE(key.Public().Verify(jws->signing_input, jws->signature));
  }
}

TEST(JwsTest, ParseRefusesMalformedTokens) {
  const std::string h = B64(R"({"alg":"ES256","typ":"at+jwt","kid":"k"})");
  const std::string p = B64(R"({"sub":"x"})");
  const std::string s = B64("signature");
  struct Case {
    std::string name;
    std::string token;
  };
  const Case kCases[] = {
      {"empty", ""},
      {"dot", "."},
      {"two dots", ".."},
      {"two parts", "a.b"},
      {"two real parts", h + "." + p},
      {"four parts", h + "." + p + "." + s + "." + s},
      {"five parts", "a.b.c.d.e"},
      {"a.b.c", "a.b.c"},
      {"empty header", "." + p + "." + s},
      {"empty payload", h + ".." + s},
      {"header not JSON", B64("not json") + "." + p + "." + s},
      {"header JSON array", B64("[1,2]") + "." + p + "." + s},
      {"header JSON string", B64("\"x\"") + "." + p + "." + s},
      {"header trailing garbage", B64(R"({"alg":"ES256"}x)") + "." + p + "." + s},
      {"payload array", h + "." + B64(R"(["sub"])") + "." + s},
      {"payload number", h + "." + B64("1") + "." + s},
      {"payload null", h + "." + B64("null") + "." + s},
      {"padded header", B64("{\"a\":1}") + "=" + "." + p + "." + s},
      {"padded payload", h + "." + B64("{}") + "==" + "." + s},
      {"padded signature", h + "." + p + "." + B64("sig") + "="},
      {"standard base64 chars", h + "." + p + ".ab+/"},
      {"whitespace", h + " ." + p + "." + s},
      {"leading whitespace", " " + h + "." + p + "." + s},
      {"newline in signature", h + "." + p + "." + s + "\n"},
      {"non-canonical trailing bits", h + "." + p + ".AB"},
      {"too large", h + "." + B64("{\"x\":\"" + std::string(kMaxJwsSize, 'a') + "\"}") + "." + s},
  };
  for (const Case& c : kCases) {
    auto jws = ParseCompactJws(c.token);
    EXPECT_FALSE(jws.has_value()) << c.name;
    if (!jws) {
      EXPECT_EQ(jws.error().kind, ErrorKind::kInvalidToken) << c.name;
    }
  }
  EXPECT_TRUE(ParseCompactJws(h + "." + p + "." + s).has_value());
  EXPECT_TRUE(ParseCompactJws(h + "." + p + ".").has_value());  // empty signature: caller decides
}

}  // namespace
}  // namespace gatehouse::crypto
