#include "cli/server_commands.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <map>

#include "app/app.h"
#include "app/config.h"
#include "common/log_sink.h"

extern char** environ;

namespace gatehouse::cli {
namespace {

struct ServerFlags {
  std::string config_file;
  std::map<std::string, std::string> values;  // flag name (snake_case) -> value
};

void AddSettingFlags(CLI::App* cmd, ServerFlags& flags) {
  cmd->add_option("--config", flags.config_file, "TOML configuration file");
  for (std::string_view key : app::SettingNames()) {
    if (app::IsSecretSetting(key)) continue;  // file or GATEHOUSE_* only, never argv
    std::string setting(key);
    std::string name = setting;
    std::replace(name.begin(), name.end(), '_', '-');
    cmd->add_option_function<std::string>(
        "--" + name, [&flags, setting](const std::string& v) { flags.values[setting] = v; },
        "setting " + setting + " (see docs/configuration.md)");
  }
}

// defaults < file < environment < flags
Result<app::Config> ResolveConfig(const ServerFlags& flags) {
  app::Config config;
  if (!flags.config_file.empty())
    GH_RETURN_IF_ERROR(app::ApplyConfigFile(flags.config_file, config));
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string_view::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  GH_RETURN_IF_ERROR(app::ApplyEnvironment(env, config));
  for (const auto& [key, value] : flags.values) {
    std::string flag = "--" + key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    GH_RETURN_IF_ERROR(app::ApplySetting(key, value, flag, config));
  }
  GH_RETURN_IF_ERROR(app::Validate(config));
  return config;
}

void SetUpLogging(const std::string& level) {
  // A closed log pipe must not kill the server (write(2) then fails with EPIPE instead).
  std::signal(SIGPIPE, SIG_IGN);
  auto sink = std::make_shared<BufferedFdSink>(STDOUT_FILENO);
  auto logger = std::make_shared<spdlog::logger>("gatehouse", sink);
  // One JSON object per line: the messages are JSON objects already, we add time and level.
  logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v)",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  // Warnings and errors reach the output at once; info lines (one per request) collect in
  // the sink's buffer and are written every second, when 64 KiB are waiting and at exit, so
  // that a request costs no write(2) and no lock shared with the other I/O threads.
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

[[noreturn]] void Die(const Error& e) {
  std::cerr << "gatehouse: " << e.description;
  if (!e.detail.empty()) std::cerr << ": " << e.detail;
  std::cerr << "\n";
  throw CLI::RuntimeError(1);
}

}  // namespace

void RegisterServerCommands(CLI::App& app) {
  auto serve_flags = std::make_shared<ServerFlags>();
  CLI::App* serve = app.add_subcommand("serve", "Run the Gatehouse server");
  AddSettingFlags(serve, *serve_flags);
  serve->callback([serve_flags] {
    auto config = ResolveConfig(*serve_flags);
    if (!config) Die(config.error());
    SetUpLogging(config->log_level);
    auto server = app::App::Create(*config);
    if (!server) Die(server.error());
    (*server)->Run();
    spdlog::shutdown();  // flushes what the periodic flush has not written yet
  });

  auto migrate_flags = std::make_shared<ServerFlags>();
  CLI::App* migrate = app.add_subcommand("migrate", "Apply database schema migrations and exit");
  AddSettingFlags(migrate, *migrate_flags);
  migrate->callback([migrate_flags] {
    auto config = ResolveConfig(*migrate_flags);
    if (!config) Die(config.error());
    auto version = app::MigrateOnly(*config);
    if (!version) Die(version.error());
    std::cout << "database schema at version " << *version << "\n";
  });
}

}  // namespace gatehouse::cli
