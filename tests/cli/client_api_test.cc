#include "cli/client_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <deque>
#include <map>

namespace gatehouse::cli {
namespace {

namespace json = boost::json;

class FakeTransport : public HttpTransport {
 public:
  Result<HttpResponse> Send(const ServerUrl&, const HttpRequest& request) override {
    requests.push_back(request);
    if (answers.empty()) return Fail(Error::Of(ErrorKind::kTemporarilyUnavailable, "boom"));
    Result<HttpResponse> next = std::move(answers.front());
    answers.pop_front();
    return next;
  }
  void Answer(int status, std::string body) {
    answers.push_back(HttpResponse{status, "application/json", std::move(body)});
  }
  std::vector<HttpRequest> requests;
  std::deque<Result<HttpResponse>> answers;
};

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

ServerUrl Server(std::string_view text) {
  auto url = ParseServerUrl(text);
  EXPECT_TRUE(url) << text;
  return url.value_or(ServerUrl{});
}

TEST(ParseServerUrlTest, Cases) {
  struct Case {
    std::string_view text;
    std::string_view canonical;  // empty: refused
  };
  const Case kCases[] = {
      {"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
      {"http://localhost", "http://localhost:80"},
      {"HTTPS://gate.example.com/", "https://gate.example.com:443"},
      {"https://gate.example.com/base/", "https://gate.example.com:443/base"},
      {"http://[::1]:9000", "http://[::1]:9000"},
      {"ftp://x", ""},
      {"127.0.0.1:8080", ""},
      {"http://user:pw@h", ""},
      {"http://h/?q=1", ""},
      {"http://h/#f", ""},
      {"not a url", ""},
  };
  for (const Case& c : kCases) {
    auto url = ParseServerUrl(c.text);
    ASSERT_EQ(url.has_value(), !c.canonical.empty()) << c.text;
    if (url) {
      EXPECT_EQ(url->ToString(), c.canonical);
    } else {
      EXPECT_EQ(url.error().field, "server");
    }
  }
  EXPECT_EQ(Server("http://[::1]:9000").host, "::1");
}

TEST(ResolveServerTest, FlagThenEnvThenSavedThenDefault) {
  Credentials saved{"http://saved:1", SecretString("t"), ""};
  EXPECT_EQ(ResolveServerText("http://flag", FakeEnv({{"GATEHOUSE_SERVER", "http://env"}}), saved),
            "http://flag");
  EXPECT_EQ(ResolveServerText("", FakeEnv({{"GATEHOUSE_SERVER", "http://env"}}), saved),
            "http://env");
  EXPECT_EQ(ResolveServerText("", FakeEnv({}), saved), "http://saved:1");
  EXPECT_EQ(ResolveServerText("", FakeEnv({}), std::nullopt), kDefaultServer);
}

TEST(TokenForTest, OnlyForTheServerThatIssuedIt) {
  auto none = TokenFor(Server("http://127.0.0.1:8080"), std::nullopt);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().description, "not logged in: run `gatehouse login`");

  Credentials saved{"http://127.0.0.1:8080", SecretString("tok"), ""};
  auto same = TokenFor(Server("http://127.0.0.1:8080/"), saved);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->Reveal(), "tok");

  auto other = TokenFor(Server("http://evil.test:8080"), saved);
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().description.find("not logged in to http://evil.test:8080"),
            std::string::npos);
  EXPECT_EQ(other.error().description.find("tok"), std::string::npos);
}

TEST(DescribeApiErrorTest, Shapes) {
  EXPECT_EQ(DescribeApiError(404, R"({"error":"not_found","message":"no such project"})"),
            "no such project (not_found)");
  EXPECT_EQ(DescribeApiError(400, R"({"error":"invalid_request","message":"bad name",
                                      "field":"name"})"),
            "bad name (invalid_request, field name)");
  EXPECT_EQ(DescribeApiError(400, R"({"error":"invalid_scope","error_description":"nope"})"),
            "nope (invalid_scope)");
  EXPECT_NE(DescribeApiError(401, R"({"error":"unauthorized","message":"expired"})")
                .find("gatehouse login"),
            std::string::npos);
  EXPECT_EQ(DescribeApiError(502, "<html>\nbad gateway</html>"),
            "server answered HTTP 502: <html> bad gateway</html>");
  EXPECT_EQ(DescribeApiError(500, ""), "server answered HTTP 500");
}

TEST(ApiClientTest, SendsBearerAndBody) {
  FakeTransport transport;
  transport.Answer(201, R"({"id":"p1"})");
  ApiClient api(transport, Server("http://h:1"), SecretString("tok"));
  auto response = api.Call("POST", "/api/v1/projects", json::value(json::object{{"name", "A"}}));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"({"id":"p1"})");
  EXPECT_EQ(response->doc.at("id"), "p1");
  ASSERT_EQ(transport.requests.size(), 1u);
  EXPECT_EQ(transport.requests[0].method, "POST");
  EXPECT_EQ(transport.requests[0].target, "/api/v1/projects");
  EXPECT_EQ(transport.requests[0].body, R"({"name":"A"})");
  EXPECT_EQ(transport.requests[0].bearer.Reveal(), "tok");
}

TEST(ApiClientTest, NoContent) {
  FakeTransport transport;
  transport.Answer(204, "");
  ApiClient api(transport, Server("http://h:1"), SecretString());
  auto response = api.Call("DELETE", "/x");
  ASSERT_TRUE(response);
  EXPECT_TRUE(response->doc.is_null());
  EXPECT_TRUE(transport.requests[0].bearer.empty());
  EXPECT_TRUE(transport.requests[0].body.empty());
}

TEST(ApiClientTest, Failures) {
  FakeTransport transport;
  transport.Answer(404, R"({"error":"not_found","message":"project not found"})");
  transport.Answer(200, "not json");
  transport.answers.push_back(
      Fail(Error::Of(ErrorKind::kTemporarilyUnavailable, "Connection refused")));
  ApiClient api(transport, Server("http://h:1"), SecretString("t"));

  auto not_found = api.Call("GET", "/x");
  ASSERT_FALSE(not_found);
  EXPECT_EQ(not_found.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(not_found.error().description, "project not found (not_found)");

  EXPECT_FALSE(api.Call("GET", "/x"));

  auto refused = api.Call("GET", "/x");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().description, "cannot reach http://h:1: Connection refused");
}

TEST(ApiClientTest, ListAllFollowsCursors) {
  FakeTransport transport;
  transport.Answer(200, R"({"items":[{"id":"a"},{"id":"b"}],"next_cursor":"c/2"})");
  transport.Answer(200, R"({"items":[{"id":"c"}],"next_cursor":null})");
  ApiClient api(transport, Server("http://h:1"), SecretString("t"));
  auto items = api.ListAll("/api/v1/projects");
  ASSERT_TRUE(items);
  EXPECT_EQ(*items, json::parse(R"([{"id":"a"},{"id":"b"},{"id":"c"}])"));
  ASSERT_EQ(transport.requests.size(), 2u);
  EXPECT_EQ(transport.requests[0].target, "/api/v1/projects?limit=200");
  EXPECT_EQ(transport.requests[1].target, "/api/v1/projects?limit=200&cursor=c%2F2");
}

TEST(ApiClientTest, ListAllStopsOnARepeatedCursorOrABadPage) {
  FakeTransport transport;
  transport.Answer(200, R"({"items":[],"next_cursor":"x"})");
  transport.Answer(200, R"({"items":[],"next_cursor":"x"})");
  ApiClient api(transport, Server("http://h:1"), SecretString("t"));
  EXPECT_FALSE(api.ListAll("/l"));

  transport.Answer(200, R"({"things":[]})");
  EXPECT_FALSE(api.ListAll("/l"));
}

}  // namespace
}  // namespace gatehouse::cli
