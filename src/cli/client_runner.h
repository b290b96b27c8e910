#pragma once

#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/client_api.h"
#include "cli/client_credentials.h"
#include "cli/client_output.h"
#include "common/result.h"

namespace gatehouse::cli {

// `--server` and `--output`, present on every client command.
struct GlobalOptions {
  std::string server;
  std::string output = "table";

  bool json() const { return output == "json"; }
};

void AddGlobalOptions(CLI::App* command, GlobalOptions& options);

// The value of an option when it was given on the command line, else nullopt.
std::optional<std::string> IfGiven(const CLI::Option* option, const std::string& value);

// What a command runs with: the resolved server, the saved credentials and a client.
struct Session {
  std::filesystem::path credentials_path;
  std::optional<Credentials> saved;
  ApiClient api;
};

enum class Auth { kNone, kRequired };

// Resolves the server and, for Auth::kRequired, the session token (failing with "not logged
// in" when there is none for that server).
Result<Session> OpenSession(const GlobalOptions& options, Auth auth);

// Output of a successful call. PrintObject writes the body verbatim for --output json, else
// "key: value" lines; either way, a client secret in the answer earns kSecretNotice (on
// stderr for json, so that stdout stays one JSON document).
void PrintObject(const GlobalOptions& options, const ApiResponse& response);
// One document {"items": [...all pages...], "next_cursor": null} for json, else a table.
void PrintList(const GlobalOptions& options, const boost::json::array& items,
               const std::vector<Column>& columns);
// For answers without a body (204): `message` in table mode, nothing in json mode.
void PrintDone(const GlobalOptions& options, std::string_view message);

// Runs a command body; on failure prints "error: <description>" to stderr and throws
// CLI::RuntimeError(1), which CLI11's App::exit turns into the exit code without printing.
void Execute(const std::function<Status()>& body);

// Registers `name` under `group` with the global options of `args->global`; `body(*args)`
// (returning Status) runs as its callback through Execute.
template <typename Args, typename Body>
CLI::App* AddCommand(CLI::App* group, const char* name, const char* help,
                     const std::shared_ptr<Args>& args, Body body) {
  CLI::App* cmd = group->add_subcommand(name, help);
  AddGlobalOptions(cmd, args->global);
  cmd->callback([args, body] { Execute([&]() -> Status { return body(*args); }); });
  return cmd;
}

// One authenticated call whose answer is printed with PrintObject.
Status CallAndPrint(const GlobalOptions& options, std::string_view method, std::string target,
                    std::optional<boost::json::value> body = std::nullopt);
// One authenticated call without an answer body (DELETE, revoke); `message` for table mode.
Status CallAndSay(const GlobalOptions& options, std::string_view method, std::string target,
                  std::string_view message);
// Every page of an authenticated list, printed with PrintList.
Status ListAndPrint(const GlobalOptions& options, std::string_view path,
                    const std::vector<Column>& columns);

// The command groups, each adding its subcommands to `app`.
void RegisterAccountCommands(CLI::App& app);
void RegisterProjectCommands(CLI::App& app);
void RegisterApiCommands(CLI::App& app);
void RegisterClientAppCommands(CLI::App& app);

}  // namespace gatehouse::cli
