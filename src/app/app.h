#pragma once

#include <memory>

#include "app/config.h"
#include "common/result.h"

namespace gatehouse::app {

// The wired server: the one place where concrete types are chosen. Create() prepares the data
// dir, opens and migrates the store, loads the snapshot and binds the socket; Run() serves
// until SIGTERM/SIGINT and returns after a graceful drain, with the database closed.
class App {
 public:
  static Result<std::unique_ptr<App>> Create(const Config& config);
  ~App();
  uint16_t port() const;
  const std::string& public_url() const;
  void Run();

 private:
  App();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Opens the store in `data_dir` and applies pending migrations; returns the schema version.
Result<int> MigrateOnly(const Config& config);

}  // namespace gatehouse::app
