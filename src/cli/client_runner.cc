#include "cli/client_runner.h"

#include <boost/json.hpp>
#include <iostream>

#include "cli/http_client.h"

namespace gatehouse::cli {
namespace {

namespace json = boost::json;

HttpTransport& Transport() {
  static BeastTransport transport;
  return transport;
}

void WriteBody(std::string_view body) {
  std::cout << body;
  if (!body.empty() && body.back() != '\n') std::cout << '\n';
}

}  // namespace

void AddGlobalOptions(CLI::App* command, GlobalOptions& options) {
  command->add_option("--server", options.server,
                      "Management API URL (default: $GATEHOUSE_SERVER, else the server of the "
                      "saved login, else " +
                          std::string(kDefaultServer) + ")");
  command->add_option("--output,-o", options.output, "Output format: table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
}

std::optional<std::string> IfGiven(const CLI::Option* option, const std::string& value) {
  if (option == nullptr || option->count() == 0) return std::nullopt;
  return value;
}

Result<Session> OpenSession(const GlobalOptions& options, Auth auth) {
  EnvLookup env = ProcessEnv();
  auto path = CredentialsPath(env);
  if (!path) return Fail(std::move(path.error()));
  auto saved = LoadCredentials(*path);
  if (!saved) return Fail(std::move(saved.error()));
  auto server = ParseServerUrl(ResolveServerText(options.server, env, *saved));
  if (!server) return Fail(std::move(server.error()));
  SecretString token;
  if (auth == Auth::kRequired) {
    auto found = TokenFor(*server, *saved);
    if (!found) return Fail(std::move(found.error()));
    token = std::move(*found);
  }
  return Session{std::move(*path), std::move(*saved),
                 ApiClient(Transport(), std::move(*server), std::move(token))};
}

void PrintObject(const GlobalOptions& options, const ApiResponse& response) {
  bool secret = HasClientSecret(response.doc);
  if (options.json()) {
    WriteBody(response.body);
    if (secret) std::cerr << kSecretNotice << '\n';
    return;
  }
  if (const json::object* obj = response.doc.if_object()) {
    std::cout << RenderObject(*obj);
  } else {
    WriteBody(response.body);
  }
  if (secret) std::cout << '\n' << kSecretNotice << '\n';
}

void PrintList(const GlobalOptions& options, const json::array& items,
               const std::vector<Column>& columns) {
  if (options.json()) {
    json::object doc{{"items", items}, {"next_cursor", nullptr}};
    std::cout << json::serialize(doc) << '\n';
    return;
  }
  std::cout << RenderTable(columns, items);
}

void PrintDone(const GlobalOptions& options, std::string_view message) {
  if (!options.json()) std::cout << message << '\n';
}

Status CallAndPrint(const GlobalOptions& options, std::string_view method, std::string target,
                    std::optional<json::value> body) {
  auto session = OpenSession(options, Auth::kRequired);
  if (!session) return Fail(std::move(session.error()));
  auto response = session->api.Call(method, std::move(target), std::move(body));
  if (!response) return Fail(std::move(response.error()));
  PrintObject(options, *response);
  return {};
}

Status CallAndSay(const GlobalOptions& options, std::string_view method, std::string target,
                  std::string_view message) {
  auto session = OpenSession(options, Auth::kRequired);
  if (!session) return Fail(std::move(session.error()));
  auto response = session->api.Call(method, std::move(target));
  if (!response) return Fail(std::move(response.error()));
  if (options.json() && !response->body.empty()) {
    WriteBody(response->body);
  } else {
    PrintDone(options, message);
  }
  return {};
}

Status ListAndPrint(const GlobalOptions& options, std::string_view path,
                    const std::vector<Column>& columns) {
  auto session = OpenSession(options, Auth::kRequired);
  if (!session) return Fail(std::move(session.error()));
  auto items = session->api.ListAll(path);
  if (!items) return Fail(std::move(items.error()));
  PrintList(options, *items, columns);
  return {};
}

void Execute(const std::function<Status()>& body) {
  Status status = body();
  std::cout.flush();
  if (!status) {
    std::cerr << "error: " << status.error().description << std::endl;
    throw CLI::RuntimeError(1);
  }
}

}  // namespace gatehouse::cli
