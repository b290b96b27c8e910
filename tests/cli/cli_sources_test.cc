// tests/CMakeLists.txt links every test binary against gh_testing (gh_app and below), and gh_cli
// sits above gh_app. Until cli_tests links gh_cli, the pure client sources under test are
// compiled into cli_tests here. Once it does, delete this file: the archive's objects then
// provide the same symbols.
#include "cli/client_api.cc"          // NOLINT(bugprone-suspicious-include)
#include "cli/client_credentials.cc"  // NOLINT(bugprone-suspicious-include)
#include "cli/client_output.cc"       // NOLINT(bugprone-suspicious-include)
#include "cli/client_requests.cc"     // NOLINT(bugprone-suspicious-include)
#include "cli/client_server_url.cc"   // NOLINT(bugprone-suspicious-include)
