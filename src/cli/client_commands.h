#pragma once

#include <CLI/CLI.hpp>

namespace gatehouse::cli {

// Adds the HTTP client commands (signup, login, logout, projects, environments, apis,
// clients) to `app`. Each command's callback throws CLI::RuntimeError(exit_code) after
// printing a clear message to stderr when it fails.
void RegisterClientCommands(CLI::App& app);

}  // namespace gatehouse::cli
