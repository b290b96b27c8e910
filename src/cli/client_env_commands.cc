// `gatehouse apis ...` and `gatehouse clients ...`: the objects that live in an environment.
#include <boost/json.hpp>
#include <memory>

#include "cli/client_requests.h"
#include "cli/client_runner.h"

namespace gatehouse::cli {
namespace {

struct EnvObjectArgs {
  GlobalOptions global;
  std::string environment;
  std::string id;
  ApiCreateArgs api;
  ClientCreateArgs client;
  std::string description;
  long long token_lifetime = 0;
  std::string signing_alg;
  std::string auth_method;
  long long previous_secret_ttl = 0;
  CLI::Option* description_option = nullptr;
  CLI::Option* token_lifetime_option = nullptr;
  CLI::Option* signing_alg_option = nullptr;
  CLI::Option* auth_method_option = nullptr;
  CLI::Option* ttl_option = nullptr;
};

// "/api/v1/environments/{env}/{kind}[/{id}]", every user-typed segment percent-encoded.
std::string EnvPath(const EnvObjectArgs& a, std::string_view kind, bool with_id = false) {
  std::string path = "/api/v1/environments/" + PathSegment(a.environment) + "/" + std::string(kind);
  if (with_id) path += "/" + PathSegment(a.id);
  return path;
}

std::optional<long long> IfGivenNumber(const CLI::Option* option, long long value) {
  if (option == nullptr || option->count() == 0) return std::nullopt;
  return value;
}

// Registers `group name` with the --environment option; an `id` positional when `with_id`.
template <typename Body>
CLI::App* AddEnvCommand(CLI::App* group, const char* name, const char* help, bool with_id,
                        const std::shared_ptr<EnvObjectArgs>& args, Body body) {
  CLI::App* cmd = AddCommand(group, name, help, args, body);
  cmd->add_option("--environment", args->environment, "Environment id")->required();
  if (with_id) cmd->add_option("id", args->id, "Object id")->required();
  return cmd;
}

void RegisterApis(CLI::App& app) {
  CLI::App* apis =
      app.add_subcommand("apis", "Manage the APIs (resource servers) of an environment");
  apis->require_subcommand(1);

  auto create = std::make_shared<EnvObjectArgs>();
  CLI::App* cmd = AddEnvCommand(
      apis, "create", "Register an API; prints its introspection credentials once", false, create,
      [](const EnvObjectArgs& a) -> Status {
        ApiCreateArgs args = a.api;
        args.token_lifetime = IfGivenNumber(a.token_lifetime_option, a.token_lifetime);
        args.signing_alg = IfGiven(a.signing_alg_option, a.signing_alg);
        auto body = BuildApiCreate(args);
        if (!body) return Fail(std::move(body.error()));
        return CallAndPrint(a.global, "POST", EnvPath(a, "apis"), std::move(*body));
      });
  cmd->add_option("--name", create->api.name, "API name")->required();
  cmd->add_option("--identifier", create->api.identifier,
                  "Unique identifier, the token audience (usually a URL)")
      ->required();
  cmd->add_option("--scope", create->api.scopes, "Scope, as name or name=description (repeatable)");
  create->token_lifetime_option =
      cmd->add_option("--token-lifetime", create->token_lifetime, "Access token lifetime, seconds")
          ->check(CLI::PositiveNumber);
  create->signing_alg_option =
      cmd->add_option("--signing-alg", create->signing_alg, "ES256, EdDSA, RS256 or PS256");

  auto list = std::make_shared<EnvObjectArgs>();
  AddEnvCommand(apis, "list", "List the APIs of an environment", false, list,
                [](const EnvObjectArgs& a) {
                  return ListAndPrint(a.global, EnvPath(a, "apis"), ApiColumns());
                });

  auto get = std::make_shared<EnvObjectArgs>();
  AddEnvCommand(apis, "get", "Show an API", true, get, [](const EnvObjectArgs& a) {
    return CallAndPrint(a.global, "GET", EnvPath(a, "apis", true));
  });

  auto remove = std::make_shared<EnvObjectArgs>();
  AddEnvCommand(apis, "delete", "Delete an API", true, remove, [](const EnvObjectArgs& a) {
    return CallAndSay(a.global, "DELETE", EnvPath(a, "apis", true), "deleted API " + a.id);
  });
}

void RegisterClients(CLI::App& app) {
  CLI::App* clients =
      app.add_subcommand("clients", "Manage the clients (API consumers) of an environment");
  clients->require_subcommand(1);

  auto create = std::make_shared<EnvObjectArgs>();
  CLI::App* cmd = AddEnvCommand(clients, "create", "Create a client; prints its secret once", false,
                                create, [](const EnvObjectArgs& a) -> Status {
                                  ClientCreateArgs args = a.client;
                                  args.description = IfGiven(a.description_option, a.description);
                                  args.auth_method = IfGiven(a.auth_method_option, a.auth_method);
                                  auto body = BuildClientCreate(args);
                                  if (!body) return Fail(std::move(body.error()));
                                  return CallAndPrint(a.global, "POST", EnvPath(a, "clients"),
                                                      std::move(*body));
                                });
  cmd->add_option("--name", create->client.name, "Client name")->required();
  create->description_option = cmd->add_option("--description", create->description);
  create->auth_method_option =
      cmd->add_option("--auth-method", create->auth_method, "Token endpoint auth method")
          ->check(CLI::IsMember({"client_secret_basic", "client_secret_post"}));
  cmd->add_option("--grant", create->client.grants,
                  "API_IDENTIFIER=scope1,scope2: scopes of an API the client may ask for "
                  "(repeatable)");

  auto list = std::make_shared<EnvObjectArgs>();
  AddEnvCommand(clients, "list", "List the clients of an environment", false, list,
                [](const EnvObjectArgs& a) {
                  return ListAndPrint(a.global, EnvPath(a, "clients"), ClientColumns());
                });

  auto get = std::make_shared<EnvObjectArgs>();
  AddEnvCommand(clients, "get", "Show a client", true, get, [](const EnvObjectArgs& a) {
    return CallAndPrint(a.global, "GET", EnvPath(a, "clients", true));
  });

  auto remove = std::make_shared<EnvObjectArgs>();
  AddEnvCommand(clients, "delete", "Delete a client", true, remove, [](const EnvObjectArgs& a) {
    return CallAndSay(a.global, "DELETE", EnvPath(a, "clients", true), "deleted client " + a.id);
  });

  auto rotate = std::make_shared<EnvObjectArgs>();
  cmd = AddEnvCommand(clients, "rotate-secret", "Issue a new client secret; prints it once", true,
                      rotate, [](const EnvObjectArgs& a) {
                        return CallAndPrint(
                            a.global, "POST", EnvPath(a, "clients", true) + "/secrets",
                            BuildRotateSecret(IfGivenNumber(a.ttl_option, a.previous_secret_ttl)));
                      });
  rotate->ttl_option = cmd->add_option("--previous-secret-ttl", rotate->previous_secret_ttl,
                                       "Seconds the current secret stays valid (0: it ends now)")
                           ->check(CLI::NonNegativeNumber);

  auto revoke = std::make_shared<EnvObjectArgs>();
  AddEnvCommand(clients, "revoke-tokens", "Revoke every token issued to a client so far", true,
                revoke, [](const EnvObjectArgs& a) {
                  return CallAndSay(a.global, "POST",
                                    EnvPath(a, "clients", true) + "/revoke-tokens",
                                    "revoked every token issued so far to client " + a.id);
                });
}

}  // namespace

void RegisterApiCommands(CLI::App& app) { RegisterApis(app); }
void RegisterClientAppCommands(CLI::App& app) { RegisterClients(app); }

}  // namespace gatehouse::cli
