#include "cli/cli.h"

int main(int argc, char** argv) { return gatehouse::cli::Main(argc, argv); }
