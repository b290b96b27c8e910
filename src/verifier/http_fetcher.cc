// The default HttpFetcher: common/http_exchange (Boost.Beast), one connection per request,
// every step bounded by the timeout.
#include "gatehouse/http_fetcher.h"

#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <cctype>

#include "common/http_exchange.h"

namespace gatehouse::verifier {
namespace {

namespace http = boost::beast::http;

// Metadata, a JWKS and a claims object are a few KiB; anything far larger is not Gatehouse.
constexpr std::uint64_t kMaxBodyBytes = 1024 * 1024;

struct Target {
  HttpEndpoint endpoint;
  std::string target, host_header;
};

bool ParseUrl(const std::string& url, Target& t, std::string& error) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    error = "not a URL: " + url;
    return false;
  }
  t.endpoint.scheme = parsed->scheme();
  if (t.endpoint.scheme != "http" && t.endpoint.scheme != "https") {
    error = "unsupported scheme: " + t.endpoint.scheme;
    return false;
  }
  t.endpoint.host = parsed->host_address();
  t.endpoint.port = parsed->has_port() ? std::string(parsed->port())
                                       : std::string(t.endpoint.scheme == "https" ? "443" : "80");
  t.target = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
  if (parsed->has_query()) t.target += "?" + std::string(parsed->encoded_query());
  t.host_header = std::string(parsed->encoded_host_and_port());
  return true;
}

class BeastFetcher final : public HttpFetcher {
 public:
  explicit BeastFetcher(HttpFetcherOptions options) : options_(std::move(options)) {}

  HttpResponse Get(const HttpRequest& request) override {
    HttpResponse out;
    Target t;
    if (!ParseUrl(request.url, t, out.error)) return out;
    http::request<http::string_body> req{http::verb::get, t.target, 11};
    req.set(http::field::host, t.host_header);
    req.set(http::field::user_agent, "gatehouse-verifier");
    req.set(http::field::accept, "application/json");
    if (!request.bearer.empty()) req.set(http::field::authorization, "Bearer " + request.bearer);
    req.keep_alive(false);
    HttpExchangeOptions options;
    options.timeout = options_.timeout;
    options.ca_file = options_.ca_file;
    options.body_limit = kMaxBodyBytes;
    auto result = HttpExchange(t.endpoint, std::move(req), options);
    if (!result.response) {
      out.error = std::move(result.error);
      return out;
    }
    auto& res = *result.response;
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(field.value());
    }
    out.body = std::move(res.body());
    out.status = static_cast<int>(res.result_int());
    return out;
  }

 private:
  const HttpFetcherOptions options_;
};

}  // namespace

std::shared_ptr<HttpFetcher> MakeHttpFetcher(const HttpFetcherOptions& options) {
  return std::make_shared<BeastFetcher>(options);
}

}  // namespace gatehouse::verifier
