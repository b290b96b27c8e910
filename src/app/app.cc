#include "app/app.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "app/data_dir.h"
#include "common/base64url.h"
#include "common/clock.h"
#include "common/random.h"
#include "crypto/secret_hash.h"
#include "http/handlers/management.h"
#include "http/handlers/system.h"
#include "http/server.h"
#include "mgmt/account_service.h"
#include "mgmt/api_service.h"
#include "mgmt/client_service.h"
#include "mgmt/project_service.h"
#include "snapshot/registry.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"

namespace gatehouse::app {

struct App::Impl {
  Config config;
  std::string public_url;
  SystemClock clock;
  std::unique_ptr<store::sqlite::SqliteStore> store;
  std::unique_ptr<crypto::SecretHasher> hasher;
  std::unique_ptr<snapshot::Registry> registry;
  std::unique_ptr<mgmt::Deps> deps;
  std::unique_ptr<mgmt::AccountService> accounts;
  std::unique_ptr<mgmt::ProjectService> projects;
  std::unique_ptr<mgmt::ApiService> apis;
  std::unique_ptr<mgmt::ClientService> clients;
  std::unique_ptr<http::ManagementContext> management;
  std::unique_ptr<http::Server> server;
};

App::App() : impl_(std::make_unique<Impl>()) {}
App::~App() = default;
uint16_t App::port() const { return impl_->server->port(); }
const std::string& App::public_url() const { return impl_->public_url; }

namespace {

Result<std::unique_ptr<store::sqlite::SqliteStore>> OpenStore(const Config& config) {
  // Everything we create from here on (database, WAL, secret files) is private to us.
  ::umask(077);
  GH_RETURN_IF_ERROR(PrepareDataDir(config.data_dir));
  return store::sqlite::SqliteStore::Open(config.data_dir + "/gatehouse.db");
}

}  // namespace

Result<int> MigrateOnly(const Config& config) {
  GH_ASSIGN_OR_RETURN(auto store, OpenStore(config));
  return store::sqlite::LatestSchemaVersion();
}

Result<std::unique_ptr<App>> App::Create(const Config& config) {
  GH_RETURN_IF_ERROR(Validate(config));
  std::unique_ptr<App> app(new App());
  Impl& s = *app->impl_;
  s.config = config;
  GH_ASSIGN_OR_RETURN(s.store, OpenStore(config));

  std::string pepper;
  if (!config.secret_pepper.empty()) {
    auto decoded = Base64UrlDecode(config.secret_pepper);
    if (!decoded || decoded->size() < 32) {
      return Fail(Error::InvalidRequest("secret_pepper: must be base64url of at least 32 bytes"));
    }
    pepper = *decoded;
  } else {
    GH_ASSIGN_OR_RETURN(
        pepper, LoadOrCreateSecret(config.data_dir + "/secret_pepper", 32, DefaultRandom()));
  }
  s.hasher = std::make_unique<crypto::SecretHasher>(std::move(pepper));

  http::ServerOptions options;
  options.host = config.host();
  options.port = config.port();
  options.io_threads = config.io_threads;
  options.blocking_threads = config.blocking_threads;
  options.body_limit = static_cast<std::size_t>(config.body_limit);
  options.idle_timeout = std::chrono::seconds(config.idle_timeout);
  options.request_timeout = std::chrono::seconds(config.request_timeout);
  options.shutdown_grace = std::chrono::seconds(config.shutdown_grace);

  // The router is filled before the socket is bound, but handlers only need the public URL
  // at request time; with port 0 it is known after Listen().
  http::Router router;
  s.public_url = config.EffectivePublicUrl();
  s.registry = std::make_unique<snapshot::Registry>(*s.store, s.public_url);
  s.deps = std::make_unique<mgmt::Deps>(
      mgmt::Deps{*s.store, *s.registry, *s.hasher, s.clock, DefaultRandom(), s.public_url});
  s.accounts = std::make_unique<mgmt::AccountService>(*s.deps);
  s.projects = std::make_unique<mgmt::ProjectService>(*s.deps);
  s.apis = std::make_unique<mgmt::ApiService>(*s.deps);
  s.clients = std::make_unique<mgmt::ClientService>(*s.deps);
  s.management = std::make_unique<http::ManagementContext>(
      http::ManagementContext{*s.accounts, *s.projects, *s.apis, *s.clients, s.clock, s.public_url,
                              s.public_url.starts_with("https://")});

  http::AddSystemRoutes(router, [&s] { return s.registry->loaded() && s.store->Healthy(); });
  http::AddManagementRoutes(router, *s.management);

  GH_RETURN_IF_ERROR(s.registry->LoadAll());
  s.server = std::make_unique<http::Server>(options, std::move(router));
  GH_RETURN_IF_ERROR(s.server->Listen());
  return app;
}

void App::Run() {
  spdlog::info("\"msg\":\"listening\",\"address\":\"{}:{}\",\"public_url\":\"{}\"}}",
               impl_->config.host(), impl_->server->port(), impl_->public_url);
  impl_->server->Run();
  spdlog::info("\"msg\":\"stopped\"}}");
}

}  // namespace gatehouse::app
