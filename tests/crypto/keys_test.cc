#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/base64url.h"
#include "crypto/jwk.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"
#include "testing/test_keys.h"

namespace gatehouse::crypto {
namespace {

using test::kAllAlgs;
using test::TestKey;

boost::json::object ParseObject(std::string_view json) {
  return boost::json::parse(json).as_object();
}

// RFC 7638 §3.1.
constexpr std::string_view kRfc7638N =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPeb"
    "WKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368Q"
    "QMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2"
    "NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
constexpr std::string_view kRfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

// RFC 8037 Appendix A.2-A.4 (Ed25519).
constexpr std::string_view kRfc8037X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
constexpr std::string_view kRfc8037Thumbprint = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";
constexpr std::string_view kRfc8037SigningInput =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
constexpr std::string_view kRfc8037Signature =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

TEST(JwkThumbprintTest, Rfc7638Example) {
  boost::json::object jwk{
      {"kty", "RSA"}, {"n", kRfc7638N}, {"e", "AQAB"}, {"alg", "RS256"}, {"kid", "2011-04-29"}};
  auto thumbprint = JwkThumbprint(jwk);
  ASSERT_TRUE(thumbprint.has_value());
  EXPECT_EQ(*thumbprint, kRfc7638Thumbprint);

  auto key = PublicKey::FromJwk(jwk);
  ASSERT_TRUE(key.has_value()) << key.error().description;
  EXPECT_EQ(key->thumbprint(), kRfc7638Thumbprint);
  EXPECT_EQ(key->kid(), "2011-04-29");  // an explicit kid wins

  jwk.erase("kid");
  key = PublicKey::FromJwk(jwk);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->kid(), kRfc7638Thumbprint);
}

TEST(JwkThumbprintTest, Rfc8037Ed25519ExampleAndSignature) {
  boost::json::object jwk{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", kRfc8037X}, {"alg", "EdDSA"}};
  auto key = PublicKey::FromJwk(jwk);
  ASSERT_TRUE(key.has_value()) << key.error().description;
  EXPECT_EQ(key->kid(), kRfc8037Thumbprint);
  std::string signature = *Base64UrlDecode(kRfc8037Signature);
  EXPECT_TRUE(key->Verify(kRfc8037SigningInput, signature));
  signature[0] ^= 1;
  EXPECT_FALSE(key->Verify(kRfc8037SigningInput, signature));
}

TEST(PrivateKeyTest, SignVerifyRoundTripEveryAlg) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(AlgName(alg));
    auto key = PrivateKey::Generate(alg);
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->alg(), alg);
    auto signature = key->Sign("header.payload");
    ASSERT_TRUE(signature.has_value());
    PublicKey pub = key->Public();
    EXPECT_EQ(pub.alg(), alg);
    EXPECT_EQ(pub.kid(), key->kid());
    EXPECT_TRUE(pub.Verify("header.payload", *signature));
    EXPECT_FALSE(pub.Verify("header.payload2", *signature));
    EXPECT_FALSE(pub.Verify("header.payload", ""));
  }
}

TEST(PrivateKeyTest, SignatureSizes) {
  struct Case {
    Alg alg;
    std::size_t size;
  };
  const Case kCases[] = {
      {Alg::kES256, 64}, {Alg::kEdDSA, 64}, {Alg::kRS256, 256}, {Alg::kPS256, 256}};
  for (const Case& c : kCases) {
    // ES256 must be raw R||S every time, even when R or S has leading zero bytes.
    for (int i = 0; i < 50; ++i) {
      auto signature = TestKey(c.alg).Sign("input" + std::to_string(i));
      ASSERT_TRUE(signature.has_value());
      EXPECT_EQ(signature->size(), c.size) << AlgName(c.alg);
    }
  }
}

TEST(PrivateKeyTest, PublicJwkHasOnlyPublicMembers) {
  struct Case {
    Alg alg;
    std::vector<std::string_view> members;
  };
  const Case kCases[] = {
      {Alg::kES256, {"kty", "crv", "x", "y", "kid", "alg", "use"}},
      {Alg::kEdDSA, {"kty", "crv", "x", "kid", "alg", "use"}},
      {Alg::kRS256, {"kty", "n", "e", "kid", "alg", "use"}},
      {Alg::kPS256, {"kty", "n", "e", "kid", "alg", "use"}},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(AlgName(c.alg));
    const PrivateKey& key = TestKey(c.alg);
    boost::json::object jwk = key.PublicJwk();
    for (std::string_view secret : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
      EXPECT_FALSE(jwk.contains(secret)) << secret;
    }
    EXPECT_EQ(jwk.size(), c.members.size());
    for (std::string_view member : c.members) EXPECT_TRUE(jwk.contains(member)) << member;
    EXPECT_EQ(jwk.at("kid").as_string(), key.kid());
    EXPECT_EQ(jwk.at("alg").as_string(), AlgName(c.alg));
    EXPECT_EQ(jwk.at("use").as_string(), "sig");
    EXPECT_EQ(*JwkThumbprint(jwk), key.kid());
  }
}

TEST(PrivateKeyTest, PublicJwkEncodings) {
  boost::json::object ec = TestKey(Alg::kES256).PublicJwk();
  EXPECT_EQ(ec.at("kty").as_string(), "EC");
  EXPECT_EQ(ec.at("crv").as_string(), "P-256");
  EXPECT_EQ(Base64UrlDecode(std::string_view(ec.at("x").as_string()))->size(), 32u);
  EXPECT_EQ(Base64UrlDecode(std::string_view(ec.at("y").as_string()))->size(), 32u);

  boost::json::object okp = TestKey(Alg::kEdDSA).PublicJwk();
  EXPECT_EQ(okp.at("kty").as_string(), "OKP");
  EXPECT_EQ(okp.at("crv").as_string(), "Ed25519");
  EXPECT_EQ(Base64UrlDecode(std::string_view(okp.at("x").as_string()))->size(), 32u);

  boost::json::object rsa = TestKey(Alg::kRS256).PublicJwk();
  EXPECT_EQ(rsa.at("kty").as_string(), "RSA");
  EXPECT_EQ(rsa.at("e").as_string(), "AQAB");
  std::string n = *Base64UrlDecode(std::string_view(rsa.at("n").as_string()));
  EXPECT_EQ(n.size(), 256u);
  EXPECT_NE(n.front(), '\0');
}

TEST(PublicKeyTest, FromPublicJwkVerifiesPrivateKeySignatures) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(AlgName(alg));
    const PrivateKey& key = TestKey(alg);
    auto pub = PublicKey::FromJwk(key.PublicJwk());
    ASSERT_TRUE(pub.has_value()) << pub.error().description;
    EXPECT_EQ(pub->kid(), key.kid());
    EXPECT_EQ(pub->thumbprint(), key.kid());
    EXPECT_EQ(pub->alg(), alg);
    EXPECT_EQ(pub->Jwk(), key.PublicJwk());
    auto signature = key.Sign("some.input");
    ASSERT_TRUE(signature.has_value());
    EXPECT_TRUE(pub->Verify("some.input", *signature));
    // The other algorithms' keys never accept it.
    for (Alg other : kAllAlgs) {
      if (other != alg) {
        EXPECT_FALSE(TestKey(other).Public().Verify("some.input", *signature));
      }
    }
  }
}

TEST(PrivateKeyTest, ConcurrentSignAndVerifyOnSharedKeys) {
  // Run under TSan/ASan in CI: one key object, many threads, no locking by the caller.
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(AlgName(alg));
    const PrivateKey& key = TestKey(alg);
    const PublicKey pub = key.Public();
    std::vector<std::thread> threads;
    std::vector<int> failures(8, 0);
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 20; ++i) {
          const std::string input = "t" + std::to_string(t) + "." + std::to_string(i);
          auto signature = key.Sign(input);
          if (!signature || !pub.Verify(input, *signature)) ++failures[t];
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (int f : failures) EXPECT_EQ(f, 0);
  }
}

TEST(PublicKeyTest, RsaKeyIsBoundToItsAlg) {
  // Same RSA key material, declared once as RS256 and once as PS256: each verifies only its own.
  const PrivateKey& key = TestKey(Alg::kRS256);
  boost::json::object as_pss = key.PublicJwk();
  as_pss["alg"] = "PS256";
  auto pss = PublicKey::FromJwk(as_pss);
  ASSERT_TRUE(pss.has_value());
  auto signature = key.Sign("x.y");
  ASSERT_TRUE(signature.has_value());
  EXPECT_TRUE(key.Public().Verify("x.y", *signature));
  EXPECT_FALSE(pss->Verify("x.y", *signature));
}

TEST(PublicKeyTest, Es256RejectsDerAndWrongLengthSignatures) {
  const PrivateKey& key = TestKey(Alg::kES256);
  PublicKey pub = key.Public();
  auto signature = key.Sign("a.b");
  ASSERT_TRUE(signature.has_value());
  ASSERT_TRUE(pub.Verify("a.b", *signature));
  EXPECT_FALSE(pub.Verify("a.b", *signature + '\0'));
  EXPECT_FALSE(pub.Verify("a.b", '\0' + *signature));
  EXPECT_FALSE(pub.Verify("a.b", signature->substr(0, 63)));
  EXPECT_FALSE(pub.Verify("a.b", std::string(64, '\0')));
  // The same signature in DER form (what OpenSSL itself emits) is refused.
  std::string der =
      "\x30\x44\x02\x20" + signature->substr(0, 32) + "\x02\x20" + signature->substr(32);
  EXPECT_FALSE(pub.Verify("a.b", der));
}

TEST(PublicKeyTest, FromJwkRejectsBadKeys) {
  const std::string ec = boost::json::serialize(TestKey(Alg::kES256).PublicJwk());
  const boost::json::object ec_jwk = TestKey(Alg::kES256).PublicJwk();
  const boost::json::object okp_jwk = TestKey(Alg::kEdDSA).PublicJwk();
  const boost::json::object rsa_jwk = TestKey(Alg::kRS256).PublicJwk();
  auto with = [](boost::json::object jwk, std::string_view name, const auto& v) {
    jwk[name] = v;
    return jwk;
  };
  auto without = [](boost::json::object jwk, std::string_view name) {
    jwk.erase(name);
    return jwk;
  };
  std::string n = *Base64UrlDecode(std::string_view(rsa_jwk.at("n").as_string()));
  std::string x = *Base64UrlDecode(std::string_view(ec_jwk.at("x").as_string()));
  std::string y = *Base64UrlDecode(std::string_view(ec_jwk.at("y").as_string()));
  std::string off_curve_y = y;
  off_curve_y.back() ^= 1;

  struct Case {
    std::string name;
    boost::json::object jwk;
  };
  const Case kCases[] = {
      {"no alg", without(ec_jwk, "alg")},
      {"alg none", with(ec_jwk, "alg", "none")},
      {"alg HS256", with(ec_jwk, "alg", "HS256")},
      {"alg lowercase", with(ec_jwk, "alg", "es256")},
      {"alg not string", with(ec_jwk, "alg", 1)},
      {"no kty", without(ec_jwk, "kty")},
      {"EC key as RS256", with(ec_jwk, "alg", "RS256")},
      {"EC key as EdDSA", with(ec_jwk, "alg", "EdDSA")},
      {"RSA key as ES256", with(rsa_jwk, "alg", "ES256")},
      {"OKP key as ES256", with(okp_jwk, "alg", "ES256")},
      {"RSA key as EdDSA", with(rsa_jwk, "alg", "EdDSA")},
      {"crv P-384", with(ec_jwk, "crv", "P-384")},
      {"crv X25519", with(okp_jwk, "crv", "X25519")},
      {"no y", without(ec_jwk, "y")},
      {"short x", with(ec_jwk, "x", Base64UrlEncode(x.substr(1)))},
      {"long x", with(ec_jwk, "x", Base64UrlEncode('\0' + x))},
      {"padded x", with(ec_jwk, "x", Base64UrlEncode(x) + "=")},
      {"off curve", with(ec_jwk, "y", Base64UrlEncode(off_curve_y))},
      {"short okp x", with(okp_jwk, "x", "AAAA")},
      {"n leading zero", with(rsa_jwk, "n", Base64UrlEncode('\0' + n))},
      {"RSA 1024", with(rsa_jwk, "n", Base64UrlEncode(n.substr(0, 128)))},
      {"e empty", with(rsa_jwk, "e", "")},
      {"private d", with(ec_jwk, "d", "AAAA")},
      {"private p", with(rsa_jwk, "p", "AAAA")},
      {"symmetric k", with(ec_jwk, "k", "AAAA")},
      {"use enc", with(ec_jwk, "use", "enc")},
      {"kid not string", with(ec_jwk, "kid", 7)},
  };
  for (const Case& c : kCases) {
    auto key = PublicKey::FromJwk(c.jwk);
    EXPECT_FALSE(key.has_value()) << c.name;
    if (!key) {
      EXPECT_EQ(key.error().kind, ErrorKind::kInvalidRequest) << c.name;
    }
  }
  // The baseline is fine, so each case fails for its own reason.
  EXPECT_TRUE(PublicKey::FromJwk(ParseObject(ec)).has_value());
}

TEST(PrivateKeyTest, Pkcs8RoundTrip) {
  for (Alg alg : kAllAlgs) {
    SCOPED_TRACE(AlgName(alg));
    const PrivateKey& key = TestKey(alg);
    const std::string der = key.ToPkcs8Der();
    auto restored = PrivateKey::FromPkcs8Der(der, alg);
    ASSERT_TRUE(restored.has_value()) << restored.error().detail;
    EXPECT_EQ(restored->kid(), key.kid());
    EXPECT_EQ(restored->PublicJwk(), key.PublicJwk());
    EXPECT_EQ(restored->ToPkcs8Der(), der);
    auto signature = restored->Sign("p.q");
    ASSERT_TRUE(signature.has_value());
    EXPECT_TRUE(key.Public().Verify("p.q", *signature));
  }
}

TEST(PrivateKeyTest, Pkcs8RejectsKeyTypeMismatch) {
  struct Case {
    Alg key_alg;
    Alg requested;
  };
  const Case kCases[] = {
      {Alg::kRS256, Alg::kES256}, {Alg::kRS256, Alg::kEdDSA}, {Alg::kES256, Alg::kRS256},
      {Alg::kES256, Alg::kPS256}, {Alg::kES256, Alg::kEdDSA}, {Alg::kEdDSA, Alg::kES256},
      {Alg::kEdDSA, Alg::kRS256}, {Alg::kPS256, Alg::kEdDSA},
  };
  for (const Case& c : kCases) {
    auto key = PrivateKey::FromPkcs8Der(TestKey(c.key_alg).ToPkcs8Der(), c.requested);
    EXPECT_FALSE(key.has_value()) << AlgName(c.key_alg) << " as " << AlgName(c.requested);
  }
  // RSA keys serve both RSA algorithms.
  EXPECT_TRUE(PrivateKey::FromPkcs8Der(TestKey(Alg::kRS256).ToPkcs8Der(), Alg::kPS256));
}

std::string Pkcs8Of(EVP_PKEY* pkey) {
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(pkey);
  unsigned char* der = nullptr;
  const int len = i2d_PKCS8_PRIV_KEY_INFO(info, &der);
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  PKCS8_PRIV_KEY_INFO_free(info);
  return out;
}

TEST(PrivateKeyTest, Pkcs8RejectsWeakOrWrongCurveKeys) {
  internal::PkeyPtr rsa1024(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024}));
  ASSERT_NE(rsa1024, nullptr);
  EXPECT_FALSE(PrivateKey::FromPkcs8Der(Pkcs8Of(rsa1024.get()), Alg::kRS256).has_value());
  EXPECT_FALSE(PrivateKey::FromPkcs8Der(Pkcs8Of(rsa1024.get()), Alg::kPS256).has_value());

  internal::PkeyPtr p384(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"));
  ASSERT_NE(p384, nullptr);
  EXPECT_FALSE(PrivateKey::FromPkcs8Der(Pkcs8Of(p384.get()), Alg::kES256).has_value());
}

TEST(PrivateKeyTest, Pkcs8KeysThatLoadAreUsableByOurVerifier) {
  // PrivateKey::Public() never fails: whatever loads passes the verifier's own checks. An
  // unusual but valid exponent (e = 3) is such a key; OpenSSL's PKCS#1 check is not lenient.
  internal::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  internal::BnPtr e3(BN_new());
  ASSERT_EQ(BN_set_word(e3.get(), 3), 1);
  ASSERT_EQ(EVP_PKEY_keygen_init(ctx.get()), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), e3.get()), 1);
  EVP_PKEY* raw = nullptr;
  ASSERT_EQ(EVP_PKEY_keygen(ctx.get(), &raw), 1);
  internal::PkeyPtr rsa_e3(raw);
  auto loaded = PrivateKey::FromPkcs8Der(Pkcs8Of(rsa_e3.get()), Alg::kRS256);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_TRUE(loaded->Public().Verify("m", *loaded->Sign("m")));
}

TEST(PrivateKeyTest, Pkcs8RejectsGarbage) {
  const std::string der = TestKey(Alg::kES256).ToPkcs8Der();
  const std::string kCases[] = {"", "garbage", der.substr(0, der.size() - 1), der + '\0'};
  for (const std::string& c : kCases) {
    EXPECT_FALSE(PrivateKey::FromPkcs8Der(c, Alg::kES256).has_value()) << c.size();
  }
}

}  // namespace
}  // namespace gatehouse::crypto
