#include "crypto/access_token.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/serialize.hpp>
#include <functional>
#include <string>

#include "common/base64url.h"
#include "crypto/jws.h"
#include "testing/test_keys.h"

namespace gatehouse::crypto {
namespace {

using test::FakeKeyLookup;
using test::kAllAlgs;
using test::TestKey;

constexpr int64_t kNow = 1'700'000'000;
constexpr std::string_view kIssuer = "https://auth.example.test/env/prod";
constexpr std::string_view kAudience = "https://api.example.test";

boost::json::object ValidClaims() {
  return {{"iss", kIssuer}, {"sub", "client-1"}, {"aud", kAudience},  {"client_id", "client-1"},
          {"jti", "jti-1"}, {"iat", kNow - 10},  {"exp", kNow + 300}, {"scope", "read:a write:b"}};
}

VerifyExpectations Want() { return {kIssuer, kAudience, kNow, 0}; }

std::string Json(const boost::json::object& o) { return boost::json::serialize(o); }

// A token with an arbitrary header, signed by `key` (whatever the header claims).
std::string SignWithHeader(const PrivateKey& key, const boost::json::object& header,
                           const boost::json::object& claims) {
  std::string input = Base64UrlEncode(Json(header)) + "." + Base64UrlEncode(Json(claims));
  return input + "." + Base64UrlEncode(*key.Sign(input));
}

boost::json::object HeaderFor(const PrivateKey& key) {
  return {{"alg", AlgName(key.alg())}, {"typ", "at+jwt"}, {"kid", key.kid()}};
}

std::string Token(const PrivateKey& key, const boost::json::object& claims = ValidClaims()) {
  return *SignJwt(key, "at+jwt", claims);
}

// Splits a compact token; the tests below rebuild tokens from modified parts.
struct Parts {
  std::string header, payload, signature;  // decoded bytes
  std::string Join() const {
    return Base64UrlEncode(header) + "." + Base64UrlEncode(payload) + "." +
           Base64UrlEncode(signature);
  }
};
Parts Split(std::string_view token) {
  const std::size_t a = token.find('.');
  const std::size_t b = token.rfind('.');
  return {*Base64UrlDecode(token.substr(0, a)), *Base64UrlDecode(token.substr(a + 1, b - a - 1)),
          *Base64UrlDecode(token.substr(b + 1))};
}

TEST(VerifyAccessTokenTest, AcceptsValidTokenForEveryAlg) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(AlgName(alg));
    const PrivateKey& key = TestKey(alg);
    FakeKeyLookup keys(key);
    auto claims = VerifyAccessToken(Token(key), keys, Want());
    ASSERT_TRUE(claims.has_value()) << VerifyFailureName(claims.error());
    EXPECT_EQ(claims->kid, key.kid());
    EXPECT_EQ(claims->iss, kIssuer);
    EXPECT_EQ(claims->sub, "client-1");
    EXPECT_EQ(claims->client_id, "client-1");
    EXPECT_EQ(claims->jti, "jti-1");
    EXPECT_EQ(claims->aud, std::vector<std::string>{std::string(kAudience)});
    EXPECT_EQ(claims->iat, kNow - 10);
    EXPECT_EQ(claims->exp, kNow + 300);
    EXPECT_EQ(claims->raw, ValidClaims());
    EXPECT_TRUE(claims->HasScope("read:a"));
    EXPECT_TRUE(claims->HasScope("write:b"));
    EXPECT_FALSE(claims->HasScope("read"));
    EXPECT_FALSE(claims->HasScope("read:a write:b"));
    EXPECT_FALSE(claims->HasScope(""));
  }
}

// jwt_verify_lib test_common.h style: every single-bit change to any segment, and every
// truncation, must be refused, for every algorithm.
TEST(VerifyAccessTokenTest, EveryBitFlipAndTruncationFails) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(AlgName(alg));
    const PrivateKey& key = TestKey(alg);
    FakeKeyLookup keys(key);
    const std::string token = Token(key);
    ASSERT_TRUE(VerifyAccessToken(token, keys, Want()).has_value());
    const Parts parts = Split(token);
    for (std::string Parts::*segment : {&Parts::header, &Parts::payload, &Parts::signature}) {
      const std::string& bytes = parts.*segment;
      for (std::size_t i = 0; i < bytes.size() * 8; ++i) {
        Parts flipped = parts;
        (flipped.*segment)[i / 8] = static_cast<char>(bytes[i / 8] ^ (1 << (i % 8)));
        EXPECT_FALSE(VerifyAccessToken(flipped.Join(), keys, Want()).has_value()) << "bit " << i;
      }
      for (std::size_t len = 0; len < bytes.size(); ++len) {
        Parts truncated = parts;
        (truncated.*segment).resize(len);
        EXPECT_FALSE(VerifyAccessToken(truncated.Join(), keys, Want()).has_value())
            << "len " << len;
      }
    }
    for (std::size_t len = 0; len < token.size(); ++len) {
      EXPECT_FALSE(VerifyAccessToken(token.substr(0, len), keys, Want()).has_value())
          << "token len " << len;
    }
  }
}

std::string Hs256(std::string_view secret, const boost::json::object& header,
                  const boost::json::object& claims) {
  std::string input = Base64UrlEncode(Json(header)) + "." + Base64UrlEncode(Json(claims));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), len));
}

TEST(VerifyAccessTokenTest, RefusesHeaderAttacks) {
  const PrivateKey& es = TestKey(Alg::kES256);
  const PrivateKey& rs = TestKey(Alg::kRS256);
  const PrivateKey& ps = TestKey(Alg::kPS256);
  const PrivateKey& ed = TestKey(Alg::kEdDSA);
  FakeKeyLookup keys(es, rs, ps, ed);
  const boost::json::object claims = ValidClaims();
  auto header = [&](const PrivateKey& key, std::string_view name, const auto& v) {
    boost::json::object h = HeaderFor(key);
    h[name] = v;
    return h;
  };
  auto header_without = [&](const PrivateKey& key, std::string_view name) {
    boost::json::object h = HeaderFor(key);
    h.erase(name);
    return h;
  };
  const std::string none_input =
      Base64UrlEncode(Json(header(rs, "alg", "none"))) + "." + Base64UrlEncode(Json(claims));
  const std::string rs_jwk = Json(rs.PublicJwk());
  const std::string rs_der = rs.ToPkcs8Der();  // stand-in for "key bytes" someone might use

  struct Case {
    std::string name;
    std::string token;
    VerifyFailure want;
  };
  const Case kCases[] = {
      {"alg none, no signature", none_input + ".", VerifyFailure::kUnsupportedAlg},
      {"alg none, with signature", none_input + "." + Base64UrlEncode(*rs.Sign(none_input)),
       VerifyFailure::kUnsupportedAlg},
      {"alg None", SignWithHeader(rs, header(rs, "alg", "None"), claims),
       VerifyFailure::kUnsupportedAlg},
      {"HS256 keyed with the public JWK", Hs256(rs_jwk, header(rs, "alg", "HS256"), claims),
       VerifyFailure::kUnsupportedAlg},
      {"HS256 keyed with the JWK n",
       Hs256(rs.PublicJwk().at("n").as_string(), header(rs, "alg", "HS256"), claims),
       VerifyFailure::kUnsupportedAlg},
      {"HS256 keyed with key bytes", Hs256(rs_der, header(rs, "alg", "HS256"), claims),
       VerifyFailure::kUnsupportedAlg},
      {"missing alg", SignWithHeader(rs, header_without(rs, "alg"), claims),
       VerifyFailure::kUnsupportedAlg},
      {"alg lowercase", SignWithHeader(es, header(es, "alg", "es256"), claims),
       VerifyFailure::kUnsupportedAlg},
      {"ES256 header on RS256 key", SignWithHeader(rs, header(rs, "alg", "ES256"), claims),
       VerifyFailure::kAlgMismatch},
      {"PS256 header on RS256 key", SignWithHeader(rs, header(rs, "alg", "PS256"), claims),
       VerifyFailure::kAlgMismatch},
      {"RS256 header on PS256 key", SignWithHeader(ps, header(ps, "alg", "RS256"), claims),
       VerifyFailure::kAlgMismatch},
      {"EdDSA header on ES256 key", SignWithHeader(es, header(es, "alg", "EdDSA"), claims),
       VerifyFailure::kAlgMismatch},
      {"RS256 token with ES256 key's kid", SignWithHeader(rs, header(rs, "kid", es.kid()), claims),
       VerifyFailure::kAlgMismatch},
      {"ES256 token signed by other ES256 key",
       SignWithHeader(*PrivateKey::Generate(Alg::kES256), HeaderFor(es), claims),
       VerifyFailure::kBadSignature},
      {"unknown kid", SignWithHeader(es, header(es, "kid", "nope"), claims),
       VerifyFailure::kUnknownKid},
      {"missing kid", SignWithHeader(es, header_without(es, "kid"), claims),
       VerifyFailure::kMissingKid},
      {"empty kid", SignWithHeader(es, header(es, "kid", ""), claims), VerifyFailure::kMissingKid},
      {"kid not a string", SignWithHeader(es, header(es, "kid", 1), claims),
       VerifyFailure::kMalformed},
      {"typ JWT", SignWithHeader(es, header(es, "typ", "JWT"), claims), VerifyFailure::kWrongType},
      {"typ jwt", SignWithHeader(es, header(es, "typ", "jwt"), claims), VerifyFailure::kWrongType},
      {"typ at+jwt+x", SignWithHeader(es, header(es, "typ", "at+jwtx"), claims),
       VerifyFailure::kWrongType},
      {"typ empty", SignWithHeader(es, header(es, "typ", ""), claims), VerifyFailure::kWrongType},
      {"missing typ", SignWithHeader(es, header_without(es, "typ"), claims),
       VerifyFailure::kWrongType},
      {"typ not a string", SignWithHeader(es, header(es, "typ", 1), claims),
       VerifyFailure::kMalformed},
      {"crit", SignWithHeader(es, header(es, "crit", boost::json::array{"exp"}), claims),
       VerifyFailure::kMalformed},
      {"empty signature", Token(es).substr(0, Token(es).rfind('.') + 1),
       VerifyFailure::kBadSignature},
  };
  for (const Case& c : kCases) {
    auto result = VerifyAccessToken(c.token, keys, Want());
    ASSERT_FALSE(result.has_value()) << c.name;
    EXPECT_EQ(VerifyFailureName(result.error()), VerifyFailureName(c.want)) << c.name;
  }
}

TEST(VerifyAccessTokenTest, AcceptsBothRfc9068TypSpellings) {
  const PrivateKey& key = TestKey(Alg::kEdDSA);
  FakeKeyLookup keys(key);
  for (std::string_view typ : {"at+jwt", "application/at+jwt", "AT+JWT", "Application/At+JWT"}) {
    EXPECT_TRUE(VerifyAccessToken(*SignJwt(key, typ, ValidClaims()), keys, Want()).has_value())
        << typ;
  }
}

TEST(VerifyAccessTokenTest, RefusesGarbage) {
  FakeKeyLookup keys(TestKey(Alg::kES256));
  const std::string h = Base64UrlEncode(Json(HeaderFor(TestKey(Alg::kES256))));
  const std::string p = Base64UrlEncode(Json(ValidClaims()));
  const std::string kCases[] = {
      "",
      ".",
      "..",
      "a.b",
      "a.b.c",
      "a.b.c.d",
      Base64UrlEncode("not json") + "." + p + ".AAAA",
      h + "=." + p + ".AAAA",
      h + "." + p + "=.AAAA",
      h + "." + Base64UrlEncode("[1,2,3]") + ".AAAA",
      h + "." + Base64UrlEncode("\"claims\"") + ".AAAA",
      std::string(kMaxJwsSize + 1, 'a'),
  };
  for (const std::string& token : kCases) {
    auto result = VerifyAccessToken(token, keys, Want());
    ASSERT_FALSE(result.has_value()) << token;
    EXPECT_EQ(result.error(), VerifyFailure::kMalformed) << token;
  }
}

TEST(VerifyAccessTokenTest, ClaimChecks) {
  const PrivateKey& key = TestKey(Alg::kES256);
  FakeKeyLookup keys(key);
  auto with = [](std::string_view name, const auto& v) {
    boost::json::object c = ValidClaims();
    c[name] = v;
    return c;
  };
  auto without = [](std::string_view name) {
    boost::json::object c = ValidClaims();
    c.erase(name);
    return c;
  };
  auto want = [](std::function<void(VerifyExpectations&)> edit) {
    VerifyExpectations w = Want();
    edit(w);
    return w;
  };
  const VerifyExpectations base = Want();
  struct Case {
    std::string name;
    boost::json::object claims;
    VerifyExpectations want;
    std::optional<VerifyFailure> failure;  // nullopt: accepted
  };
  const Case kCases[] = {
      {"valid", ValidClaims(), base, std::nullopt},
      {"missing iss", without("iss"), base, VerifyFailure::kMissingClaim},
      {"missing sub", without("sub"), base, VerifyFailure::kMissingClaim},
      {"missing aud", without("aud"), base, VerifyFailure::kMissingClaim},
      {"missing exp", without("exp"), base, VerifyFailure::kMissingClaim},
      {"missing iat", without("iat"), base, VerifyFailure::kMissingClaim},
      {"missing jti", without("jti"), base, VerifyFailure::kMissingClaim},
      {"missing client_id", without("client_id"), base, VerifyFailure::kMissingClaim},
      {"missing scope is fine", without("scope"), base, std::nullopt},
      {"exp as string", with("exp", std::to_string(kNow + 300)), base,
       VerifyFailure::kMissingClaim},
      {"exp fractional", with("exp", static_cast<double>(kNow) + 300.5), base,
       VerifyFailure::kMissingClaim},
      {"iat as string", with("iat", "0"), base, VerifyFailure::kMissingClaim},
      {"iss not string", with("iss", 1), base, VerifyFailure::kMissingClaim},
      {"aud number", with("aud", 1), base, VerifyFailure::kMissingClaim},
      {"aud array with number", with("aud", boost::json::array{kAudience, 1}), base,
       VerifyFailure::kMissingClaim},
      {"scope array", with("scope", boost::json::array{"read:a"}), base,
       VerifyFailure::kMissingClaim},
      {"nbf string", with("nbf", "0"), base, VerifyFailure::kMissingClaim},
      {"exp == now", with("exp", kNow), base, VerifyFailure::kExpired},
      {"exp < now", with("exp", kNow - 1), base, VerifyFailure::kExpired},
      {"exp far past", with("exp", 0), base, VerifyFailure::kExpired},
      {"exp == now within leeway", with("exp", kNow), want([](auto& w) { w.leeway = 30; }),
       std::nullopt},
      {"exp now-29 within leeway 30", with("exp", kNow - 29), want([](auto& w) { w.leeway = 30; }),
       std::nullopt},
      {"exp now-30 beyond leeway 30", with("exp", kNow - 30), want([](auto& w) { w.leeway = 30; }),
       VerifyFailure::kExpired},
      {"exp int64 max", with("exp", INT64_MAX), base, std::nullopt},
      {"exp beyond int64", with("exp", static_cast<uint64_t>(INT64_MAX) + 1), base,
       VerifyFailure::kMissingClaim},
      {"iat == now", with("iat", kNow), base, std::nullopt},
      {"iat in future", with("iat", kNow + 1), base, VerifyFailure::kIssuedInFuture},
      {"iat in future within leeway", with("iat", kNow + 30), want([](auto& w) { w.leeway = 30; }),
       std::nullopt},
      {"iat beyond leeway", with("iat", kNow + 31), want([](auto& w) { w.leeway = 30; }),
       VerifyFailure::kIssuedInFuture},
      {"nbf == now", with("nbf", kNow), base, std::nullopt},
      {"nbf in future", with("nbf", kNow + 1), base, VerifyFailure::kNotYetValid},
      {"nbf within leeway", with("nbf", kNow + 5), want([](auto& w) { w.leeway = 5; }),
       std::nullopt},
      {"wrong iss", with("iss", "https://evil.test/env/prod"), base, VerifyFailure::kWrongIssuer},
      {"iss trailing slash", with("iss", std::string(kIssuer) + "/"), base,
       VerifyFailure::kWrongIssuer},
      {"iss case", with("iss", "HTTPS://auth.example.test/env/prod"), base,
       VerifyFailure::kWrongIssuer},
      {"expected issuer with trailing slash", ValidClaims(),
       want([](auto& w) { w.issuer = "https://auth.example.test/env/prod/"; }),
       VerifyFailure::kWrongIssuer},
      {"wrong aud", with("aud", "https://other.test"), base, VerifyFailure::kWrongAudience},
      {"aud trailing slash", with("aud", std::string(kAudience) + "/"), base,
       VerifyFailure::kWrongAudience},
      {"aud array containing audience",
       with("aud", boost::json::array{"https://other.test", kAudience}), base, std::nullopt},
      {"aud array without audience", with("aud", boost::json::array{"https://other.test"}), base,
       VerifyFailure::kWrongAudience},
      {"aud empty array", with("aud", boost::json::array{}), base, VerifyFailure::kWrongAudience},
      {"empty expected audience denies", ValidClaims(), want([](auto& w) { w.audience = ""; }),
       VerifyFailure::kWrongAudience},
      {"empty expected audience vs empty aud", with("aud", ""),
       want([](auto& w) { w.audience = ""; }), VerifyFailure::kWrongAudience},
  };
  for (const Case& c : kCases) {
    auto result = VerifyAccessToken(Token(key, c.claims), keys, c.want);
    if (c.failure) {
      ASSERT_FALSE(result.has_value()) << c.name;
      EXPECT_EQ(VerifyFailureName(result.error()), VerifyFailureName(*c.failure)) << c.name;
    } else {
      EXPECT_TRUE(result.has_value())
          << c.name << ": " << (result ? "" : VerifyFailureName(result.error()));
    }
  }
}

TEST(VerifyAccessTokenTest, KeyFromJwkSet) {
  // What the verification library does: keys come from published JWKs, not private keys.
  const PrivateKey& key = TestKey(Alg::kPS256);
  FakeKeyLookup keys;
  keys.Add(*PublicKey::FromJwk(key.PublicJwk()));
  EXPECT_TRUE(VerifyAccessToken(Token(key), keys, Want()).has_value());
}

TEST(VerifyFailureNameTest, Names) {
  struct Case {
    VerifyFailure failure;
    std::string_view name;
  };
  constexpr Case kCases[] = {
      {VerifyFailure::kMalformed, "malformed"},
      {VerifyFailure::kMissingKid, "missing_kid"},
      {VerifyFailure::kUnknownKid, "unknown_kid"},
      {VerifyFailure::kUnsupportedAlg, "unsupported_alg"},
      {VerifyFailure::kAlgMismatch, "alg_mismatch"},
      {VerifyFailure::kWrongType, "wrong_type"},
      {VerifyFailure::kBadSignature, "bad_signature"},
      {VerifyFailure::kExpired, "expired"},
      {VerifyFailure::kIssuedInFuture, "issued_in_future"},
      {VerifyFailure::kNotYetValid, "not_yet_valid"},
      {VerifyFailure::kWrongIssuer, "wrong_issuer"},
      {VerifyFailure::kWrongAudience, "wrong_audience"},
      {VerifyFailure::kMissingClaim, "missing_claim"},
  };
  for (const Case& c : kCases) EXPECT_EQ(VerifyFailureName(c.failure), c.name);
}

}  // namespace
}  // namespace gatehouse::crypto
