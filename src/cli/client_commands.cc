#include "cli/client_commands.h"

namespace gatehouse::cli {

// Placeholder until the client commands land.
void RegisterClientCommands(CLI::App&) {}

}  // namespace gatehouse::cli
