#include "alerts/signature.h"

#include <gtest/gtest.h>

namespace gatehouse::alerts {
namespace {

TEST(SignatureTest, MatchesAnIndependentHmac) {
  // printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
  EXPECT_EQ(Sign("whsec_test", 1700000000, R"({"a":1})"),
            "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
}

TEST(SignatureTest, VerifiesAndRejectsTampering) {
  const std::string body = R"({"type":"block.created"})";
  const std::string header = SignatureHeader("s3cret", 1000, body);
  EXPECT_TRUE(header.starts_with("t=1000,v1="));
  EXPECT_TRUE(VerifySignature(header, "s3cret", body, 1000));
  EXPECT_FALSE(VerifySignature(header, "s3cret", body + " ", 1000));
  EXPECT_FALSE(VerifySignature(header, "other", body, 1000));
  EXPECT_FALSE(VerifySignature(header, "s3cret", body, 1000 + 301)) << "too old: replay";
  std::string flipped = header;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_FALSE(VerifySignature(flipped, "s3cret", body, 1000));
  EXPECT_FALSE(VerifySignature("v1=abc", "s3cret", body, 1000));
}

}  // namespace
}  // namespace gatehouse::alerts
