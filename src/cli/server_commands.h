#pragma once

#include <CLI/CLI.hpp>

namespace gatehouse::cli {

// `gatehouse serve` and `gatehouse migrate`.
void RegisterServerCommands(CLI::App& app);

}  // namespace gatehouse::cli
