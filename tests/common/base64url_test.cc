#include "common/base64url.h"

#include <gtest/gtest.h>

namespace gatehouse {
namespace {

TEST(Base64UrlTest, RoundTripsEveryLength) {
  std::string data;
  for (int i = 0; i < 70; ++i) {
    auto encoded = Base64UrlEncode(data);
    EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos) << encoded;
    EXPECT_EQ(Base64UrlDecode(encoded).value_or("?"), data);
    data.push_back(static_cast<char>(i * 37));
  }
}

TEST(Base64UrlTest, RefusesWhatIsNotCanonicalBase64Url) {
  struct Case {
    std::string_view text;
    bool ok;
  };
  const Case kCases[] = {
      {"", true},      {"QQ", true},     {"QUI", true},     {"QUJD", true},
      {"QQ==", false}, {"QUI=", false},  {"Q", false},      {"QQ+", false},
      {"Q/", false},   {"QU I", false},  {"QUJD\n", false}, {"QR", false},  // trailing bits
      {"-_-_", true},  {"QUJD.", false},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(Base64UrlDecode(c.text).has_value(), c.ok) << "text=" << c.text;
  }
}

TEST(Base64Test, StandardAlphabetWithPadding) {
  EXPECT_EQ(Base64Encode("a:b"), "YTpi");
  EXPECT_EQ(Base64Decode("YTpi").value_or("?"), "a:b");
  EXPECT_EQ(Base64Decode("YQ==").value_or("?"), "a");
  EXPECT_FALSE(Base64Decode("YQ").has_value());
  EXPECT_FALSE(Base64Decode("Y-_i").has_value());
}

}  // namespace
}  // namespace gatehouse
