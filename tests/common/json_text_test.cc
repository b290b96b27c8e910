#include "common/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gatehouse {
namespace {

TEST(JsonText, StringsAreWrittenAsBoostJsonWritesThem) {
  for (std::string_view s :
       {std::string_view(""), std::string_view("plain https://a.test/x"),
        std::string_view("quote\" back\\slash"), std::string_view("\b\f\n\r\t"),
        std::string_view("\x01\x1f\x7f"), std::string_view("caf\xc3\xa9 \xe2\x82\xac"),
        std::string_view("nul\0inside", 10)}) {
    std::string out;
    AppendJsonString(out, s);
    EXPECT_EQ(out, boost::json::serialize(boost::json::string(s)));
  }
}

TEST(JsonText, MembersMakeTheSameObjectAsADom) {
  std::string out = "{";
  AppendJsonMember(out, "iss", "https://gh.test/oauth/a/b");
  out += ',';
  AppendJsonMember(out, "iat", int64_t{1800000000});
  out += ',';
  AppendJsonMember(out, "neg", int64_t{-5});
  out += '}';
  EXPECT_EQ(out, boost::json::serialize(boost::json::object{
                     {"iss", "https://gh.test/oauth/a/b"}, {"iat", 1800000000}, {"neg", -5}}));
}

}  // namespace
}  // namespace gatehouse
