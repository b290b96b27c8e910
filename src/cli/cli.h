#pragma once

namespace gatehouse::cli {

// The `gatehouse` binary: `serve`, `migrate` and the management client commands.
// Returns the process exit code; never throws.
int Main(int argc, char** argv);

}  // namespace gatehouse::cli
