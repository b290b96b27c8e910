#include "cli/client_server_url.h"

#include <boost/url/parse.hpp>
#include <cctype>

namespace gatehouse::cli {
namespace {

std::string DefaultPort(std::string_view scheme) { return scheme == "https" ? "443" : "80"; }

}  // namespace

std::string ServerUrl::ToString() const {
  std::string host_text = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + host_text + ":" + port + base_path;
}

Result<ServerUrl> ParseServerUrl(std::string_view text) {
  auto bad = [&](std::string why) {
    return Fail(Error::InvalidRequest("invalid server URL \"" + std::string(text) + "\": " + why,
                                      "server"));
  };
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return bad(parsed.error().message());
  const auto& url = *parsed;
  ServerUrl server;
  server.scheme = url.scheme();
  for (char& c : server.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (server.scheme != "http" && server.scheme != "https")
    return bad("scheme must be http or https");
  if (url.has_userinfo()) return bad("credentials in the URL are not accepted");
  if (url.has_query() || url.has_fragment()) return bad("no query or fragment allowed");
  server.host = url.host_address();
  if (server.host.empty()) return bad("no host");
  server.port = url.has_port() ? std::string(url.port()) : DefaultPort(server.scheme);
  if (server.port.empty()) server.port = DefaultPort(server.scheme);
  server.base_path = url.encoded_path();
  while (!server.base_path.empty() && server.base_path.back() == '/') server.base_path.pop_back();
  return server;
}

}  // namespace gatehouse::cli
