#include "cli/client_api.h"

#include <boost/json.hpp>
#include <set>

#include "cli/client_requests.h"

namespace gatehouse::cli {
namespace {

namespace json = boost::json;

std::string Canonical(std::string_view text) {
  auto url = ParseServerUrl(text);
  return url ? url->ToString() : std::string(text);
}

ErrorKind KindForStatus(int status) {
  if (status == 401) return ErrorKind::kUnauthorized;
  if (status == 404) return ErrorKind::kNotFound;
  if (status >= 500) return ErrorKind::kServerError;
  return ErrorKind::kInvalidRequest;
}

}  // namespace

std::string ResolveServerText(std::string_view flag, const EnvLookup& env,
                              const std::optional<Credentials>& saved) {
  if (!flag.empty()) return std::string(flag);
  if (auto from_env = env("GATEHOUSE_SERVER")) return *from_env;
  if (saved && !saved->server.empty()) return saved->server;
  return std::string(kDefaultServer);
}

Result<SecretString> TokenFor(const ServerUrl& server, const std::optional<Credentials>& saved) {
  if (!saved || saved->token.empty()) {
    return Fail(Error::Of(ErrorKind::kUnauthorized, "not logged in: run `gatehouse login`"));
  }
  if (Canonical(saved->server) != server.ToString()) {
    return Fail(Error::Of(ErrorKind::kUnauthorized,
                          "not logged in to " + server.ToString() + " (the saved session is for " +
                              saved->server + "): run `gatehouse login --server " +
                              server.ToString() + "`"));
  }
  return saved->token;
}

std::string DescribeApiError(int status, std::string_view body) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  const json::object* obj = ec ? nullptr : doc.if_object();
  const json::value* code = obj ? obj->if_contains("error") : nullptr;
  if (code != nullptr && code->is_string()) {
    std::string out;
    const json::value* message = obj->if_contains("message");
    if (message == nullptr || !message->is_string())
      message = obj->if_contains("error_description");
    out = message && message->is_string() ? std::string(message->get_string()) : "request failed";
    out += " (" + std::string(code->get_string());
    const json::value* field = obj->if_contains("field");
    if (field != nullptr && field->is_string() && !field->get_string().empty()) {
      out += ", field " + std::string(field->get_string());
    }
    out += ")";
    if (status == 401) out += "; run `gatehouse login` if the session has expired";
    return out;
  }
  std::string out = "server answered HTTP " + std::to_string(status);
  std::string excerpt(body.substr(0, 200));
  for (char& c : excerpt) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (!excerpt.empty()) out += ": " + excerpt;
  return out;
}

Result<ApiResponse> ApiClient::Call(std::string_view method, std::string target,
                                    std::optional<json::value> body) {
  HttpRequest request;
  request.method = std::string(method);
  request.target = std::move(target);
  if (body) request.body = json::serialize(*body);
  request.bearer = token_;
  auto response = transport_.Send(server_, request);
  if (!response) {
    return Fail(
        Error::Of(ErrorKind::kTemporarilyUnavailable,
                  "cannot reach " + server_.ToString() + ": " + response.error().description));
  }
  if (response->status < 200 || response->status >= 300) {
    return Fail(Error::Of(KindForStatus(response->status),
                          DescribeApiError(response->status, response->body)));
  }
  ApiResponse out;
  out.status = response->status;
  out.body = std::move(response->body);
  if (!out.body.empty()) {
    boost::system::error_code ec;
    out.doc = json::parse(out.body, ec);
    if (ec) {
      return Fail(Error::Of(ErrorKind::kServerError, "the server answered HTTP " +
                                                         std::to_string(out.status) +
                                                         " with a body that is not JSON"));
    }
  }
  return out;
}

Result<json::array> ApiClient::ListAll(std::string_view path) {
  json::array items;
  std::string cursor;
  std::set<std::string> seen;
  while (true) {
    auto page = Call("GET", PageTarget(path, cursor));
    if (!page) return Fail(std::move(page.error()));
    const json::object* obj = page->doc.if_object();
    const json::value* page_items = obj ? obj->if_contains("items") : nullptr;
    if (page_items == nullptr || !page_items->is_array()) {
      return Fail(Error::Of(ErrorKind::kServerError, "the server answered a list without items"));
    }
    for (const json::value& item : page_items->get_array()) items.push_back(item);
    const json::value* next = obj->if_contains("next_cursor");
    if (next == nullptr || !next->is_string() || next->get_string().empty()) return items;
    cursor = std::string(next->get_string());
    if (!seen.insert(cursor).second) {
      return Fail(Error::Of(ErrorKind::kServerError, "the server repeated a list cursor"));
    }
  }
}

}  // namespace gatehouse::cli
