#include "crypto/alg.h"

#include <gtest/gtest.h>

#include <optional>

namespace gatehouse::crypto {
namespace {

TEST(AlgTest, ParseAlgAcceptsExactlyTheAllowList) {
  struct Case {
    std::string_view name;
    std::optional<Alg> want;
  };
  const Case kCases[] = {
      {"ES256", Alg::kES256},
      {"EdDSA", Alg::kEdDSA},
      {"RS256", Alg::kRS256},
      {"PS256", Alg::kPS256},
      {"none", std::nullopt},
      {"None", std::nullopt},
      {"HS256", std::nullopt},
      {"HS512", std::nullopt},
      {"es256", std::nullopt},
      {"EDDSA", std::nullopt},
      {"Ed25519", std::nullopt},
      {"ES384", std::nullopt},
      {"RS512", std::nullopt},
      {" ES256", std::nullopt},
      {"ES256 ", std::nullopt},
      {"", std::nullopt},
      {std::string_view("ES256\0", 6), std::nullopt},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ParseAlg(c.name), c.want) << "alg=" << c.name;
  }
}

TEST(AlgTest, NamesRoundTrip) {
  for (Alg alg : {Alg::kES256, Alg::kEdDSA, Alg::kRS256, Alg::kPS256}) {
    EXPECT_EQ(ParseAlg(AlgName(alg)), alg) << AlgName(alg);
  }
  EXPECT_EQ(AlgName(Alg::kEdDSA), "EdDSA");
}

}  // namespace
}  // namespace gatehouse::crypto
