#include "cli/client_commands.h"

#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "cli/client_password.h"
#include "cli/client_requests.h"
#include "cli/client_runner.h"

namespace gatehouse::cli {
namespace {

namespace json = boost::json;

struct AccountArgs {
  GlobalOptions global;
  std::string email;
  std::string password;
  CLI::Option* password_option = nullptr;
};

CLI::App* AddAccountCommand(CLI::App& app, const char* name, const char* help,
                            const std::shared_ptr<AccountArgs>& args) {
  CLI::App* cmd = app.add_subcommand(name, help);
  AddGlobalOptions(cmd, args->global);
  cmd->add_option("--email", args->email, "Account email")->required();
  args->password_option = cmd->add_option(
      "--password", args->password,
      "Password (visible to other local users in the process list: prefer $GATEHOUSE_PASSWORD "
      "or stdin)");
  return cmd;
}

Status Signup(const AccountArgs& args) {
  auto password =
      ReadPassword(IfGiven(args.password_option, args.password), ProcessEnv(), /*confirm=*/true);
  if (!password) return Fail(std::move(password.error()));
  auto session = OpenSession(args.global, Auth::kNone);
  if (!session) return Fail(std::move(session.error()));
  auto response =
      session->api.Call("POST", "/api/v1/accounts", BuildCredentialsBody(args.email, *password));
  if (!response) return Fail(std::move(response.error()));
  PrintObject(args.global, *response);
  if (!args.global.json()) std::cout << "\nnext: gatehouse login --email " << args.email << '\n';
  return {};
}

Status Login(const AccountArgs& args) {
  auto password =
      ReadPassword(IfGiven(args.password_option, args.password), ProcessEnv(), /*confirm=*/false);
  if (!password) return Fail(std::move(password.error()));
  auto session = OpenSession(args.global, Auth::kNone);
  if (!session) return Fail(std::move(session.error()));
  auto response =
      session->api.Call("POST", "/api/v1/sessions", BuildCredentialsBody(args.email, *password));
  if (!response) return Fail(std::move(response.error()));
  const json::object* obj = response->doc.if_object();
  const json::value* token = obj ? obj->if_contains("token") : nullptr;
  if (token == nullptr || !token->is_string() || token->get_string().empty()) {
    return Fail(Error::Of(ErrorKind::kServerError, "the server answered a session without token"));
  }
  Credentials creds;
  creds.server = session->api.server().ToString();
  creds.token = SecretString(std::string(token->get_string()));
  if (const json::value* expires = obj->if_contains("expires_at");
      expires && expires->is_string()) {
    creds.expires_at = std::string(expires->get_string());
  }
  if (auto saved = SaveCredentials(session->credentials_path, creds); !saved) return saved;
  // The session token is never printed, not even with --output json.
  if (args.global.json()) {
    json::object doc{{"server", creds.server},
                     {"email", args.email},
                     {"expires_at", creds.expires_at},
                     {"credentials_file", session->credentials_path.string()}};
    std::cout << json::serialize(doc) << '\n';
  } else {
    std::cout << "logged in to " << creds.server << " as " << args.email;
    if (!creds.expires_at.empty()) std::cout << " (session expires at " << creds.expires_at << ")";
    std::cout << "\ncredentials saved in " << session->credentials_path.string() << '\n';
  }
  return {};
}

Status Logout(const GlobalOptions& global) {
  auto session = OpenSession(global, Auth::kRequired);
  if (!session) return Fail(std::move(session.error()));
  auto response = session->api.Call("DELETE", "/api/v1/sessions/current");
  // A session the server no longer knows (expired, already ended) is as good as ended; any
  // other failure keeps the file, so that logout can be retried and the token does not stay
  // valid unnoticed.
  if (!response && response.error().kind != ErrorKind::kUnauthorized &&
      response.error().kind != ErrorKind::kNotFound) {
    return Fail(std::move(response.error()));
  }
  if (auto removed = RemoveCredentials(session->credentials_path); !removed) return removed;
  PrintDone(global, "logged out of " + session->api.server().ToString());
  return {};
}

void RegisterAccountCommandsImpl(CLI::App& app) {
  auto signup = std::make_shared<AccountArgs>();
  AddAccountCommand(app, "signup", "Create a developer account", signup)->callback([signup] {
    Execute([&] { return Signup(*signup); });
  });

  auto login = std::make_shared<AccountArgs>();
  AddAccountCommand(app, "login", "Log in and save the session for the other commands", login)
      ->callback([login] { Execute([&] { return Login(*login); }); });

  auto logout = std::make_shared<GlobalOptions>();
  CLI::App* cmd = app.add_subcommand("logout", "End the session and forget it");
  AddGlobalOptions(cmd, *logout);
  cmd->callback([logout] { Execute([&] { return Logout(*logout); }); });
}

// ---- projects and environments -------------------------------------------------------------

struct ProjectArgs {
  GlobalOptions global;
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> environments;
  CLI::Option* name_option = nullptr;
  CLI::Option* description_option = nullptr;
};

std::string ProjectPath(std::string_view id) { return "/api/v1/projects/" + PathSegment(id); }

void RegisterProjectCommandsImpl(CLI::App& app) {
  CLI::App* projects = app.add_subcommand("projects", "Manage projects");
  projects->require_subcommand(1);

  auto create = std::make_shared<ProjectArgs>();
  CLI::App* cmd =
      AddCommand(projects, "create", "Create a project", create, [](const ProjectArgs& a) {
        return CallAndPrint(
            a.global, "POST", "/api/v1/projects",
            BuildProjectCreate(
                {a.name, IfGiven(a.description_option, a.description), a.environments}));
      });
  cmd->add_option("--name", create->name, "Project name")->required();
  create->description_option = cmd->add_option("--description", create->description);
  cmd->add_option("--environment", create->environments,
                  "Environment to create (repeatable; default: development and production)");

  auto list = std::make_shared<ProjectArgs>();
  AddCommand(projects, "list", "List your projects", list, [](const ProjectArgs& a) {
    return ListAndPrint(a.global, "/api/v1/projects", ProjectColumns());
  });

  auto get = std::make_shared<ProjectArgs>();
  AddCommand(projects, "get", "Show a project and its environments", get,
             [](const ProjectArgs& a) { return CallAndPrint(a.global, "GET", ProjectPath(a.id)); })
      ->add_option("id", get->id, "Project id")
      ->required();

  auto update = std::make_shared<ProjectArgs>();
  cmd = AddCommand(projects, "update", "Rename or describe a project", update,
                   [](const ProjectArgs& a) -> Status {
                     auto body = BuildProjectUpdate({IfGiven(a.name_option, a.name),
                                                     IfGiven(a.description_option, a.description)});
                     if (!body) return Fail(std::move(body.error()));
                     return CallAndPrint(a.global, "PATCH", ProjectPath(a.id), std::move(*body));
                   });
  cmd->add_option("id", update->id, "Project id")->required();
  update->name_option = cmd->add_option("--name", update->name);
  update->description_option = cmd->add_option("--description", update->description);

  auto remove = std::make_shared<ProjectArgs>();
  AddCommand(projects, "delete", "Delete a project with its environments", remove,
             [](const ProjectArgs& a) {
               return CallAndSay(a.global, "DELETE", ProjectPath(a.id), "deleted project " + a.id);
             })
      ->add_option("id", remove->id, "Project id")
      ->required();

  CLI::App* environments = app.add_subcommand("environments", "Manage environments");
  environments->require_subcommand(1);
  auto env_create = std::make_shared<ProjectArgs>();
  cmd = AddCommand(environments, "create", "Add an environment to a project", env_create,
                   [](const ProjectArgs& a) {
                     return CallAndPrint(a.global, "POST", ProjectPath(a.id) + "/environments",
                                         BuildEnvironmentCreate(a.name));
                   });
  cmd->add_option("--project", env_create->id, "Project id")->required();
  cmd->add_option("--name", env_create->name, "Environment name")->required();
}

}  // namespace

void RegisterAccountCommands(CLI::App& app) { RegisterAccountCommandsImpl(app); }
void RegisterProjectCommands(CLI::App& app) { RegisterProjectCommandsImpl(app); }

void RegisterClientCommands(CLI::App& app) {
  RegisterAccountCommands(app);
  RegisterProjectCommands(app);
  RegisterApiCommands(app);
  RegisterClientAppCommands(app);
}

}  // namespace gatehouse::cli
