#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/client_commands.h"
#include "cli/server_commands.h"

namespace gatehouse::cli {

int Main(int argc, char** argv) {
  CLI::App app{"Gatehouse: self-hosted machine-to-machine API security"};
  app.require_subcommand(1);
  RegisterServerCommands(app);
  RegisterClientCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}

}  // namespace gatehouse::cli
