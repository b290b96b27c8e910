#include "http/handlers/render.h"

#include <gtest/gtest.h>

namespace gatehouse::http {
namespace {

Request MakeRequest(const RawRequest& raw, std::string_view query) {
  return Request{raw, "/x", query, {}, "127.0.0.1", false, "rid"};
}

TEST(ParsePageTest, LimitAndCursor) {
  RawRequest raw;
  struct Case {
    std::string_view query;
    bool ok;
    int limit;
    int64_t after;
  };
  const Case kCases[] = {
      {"", true, 50, 0},
      {"limit=1", true, 1, 0},
      {"limit=200", true, 200, 0},
      {"limit=0", false, 0, 0},
      {"limit=201", false, 0, 0},
      {"limit=abc", false, 0, 0},
      {"limit=5&cursor=", false, 0, 0},
  };
  for (const Case& c : kCases) {
    auto page = ParsePage(MakeRequest(raw, c.query));
    ASSERT_EQ(page.has_value(), c.ok) << c.query;
    if (c.ok) {
      EXPECT_EQ(page->limit, c.limit) << c.query;
      EXPECT_EQ(page->after_seq, c.after) << c.query;
    } else {
      EXPECT_EQ(page.error().kind, ErrorKind::kInvalidRequest) << c.query;
    }
  }
  auto roundtrip = ParsePage(MakeRequest(raw, "cursor=" + EncodeCursor(42)));
  ASSERT_TRUE(roundtrip.has_value());
  EXPECT_EQ(roundtrip->after_seq, 42);
  EXPECT_FALSE(ParsePage(MakeRequest(raw, "cursor=bm90LWEtY3Vyc29y")).has_value());
}

}  // namespace
}  // namespace gatehouse::http

namespace gatehouse::http {
namespace {

TEST(RequestTest, QueryIntoBeastTarget) {
  RawRequest raw{bhttp::verb::get, "/api/v1/projects?limit=1&cursor=abc", 11};
  std::string_view target = raw.target();
  auto q = target.find('?');
  Request req{raw, target.substr(0, q), target.substr(q + 1), {}, "127.0.0.1", false, "rid"};
  EXPECT_EQ(req.Query("limit").value_or("?"), "1");
  EXPECT_EQ(req.Query("cursor").value_or("?"), "abc");
  EXPECT_FALSE(req.Query("nope").has_value());
}

TEST(RequestTest, QueryStopsAtTheEndOfTheView) {
  RawRequest raw;
  const std::string buffer = "limit=1XXXXXXXX";
  Request req{raw, "/x", std::string_view(buffer).substr(0, 7), {}, "127.0.0.1", false, "rid"};
  EXPECT_EQ(req.Query("limit").value_or("?"), "1");
  EXPECT_EQ(req.QueryCount("limit"), 1);
}

}  // namespace
}  // namespace gatehouse::http
