#include "app/app.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "app/data_dir.h"
#include "common/base64url.h"
#include "common/clock.h"
#include "common/random.h"
#include "crypto/secret_hash.h"
#include "http/handlers/management.h"
#include "http/handlers/oauth.h"
#include "http/handlers/static_files.h"
#include "http/handlers/system.h"
#include "http/server.h"
#include "mgmt/account_service.h"
#include "mgmt/api_service.h"
#include "mgmt/client_service.h"
#include "mgmt/key_service.h"
#include "mgmt/project_service.h"
#include "snapshot/registry.h"
#include "snapshot/revocations.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"

namespace gatehouse::app {

struct App::Impl {
  Config config;
  std::string public_url;
  SystemClock clock;
  std::unique_ptr<store::sqlite::SqliteStore> store;
  std::unique_ptr<crypto::SecretHasher> hasher;
  std::unique_ptr<crypto::KeySealer> sealer;
  snapshot::RevocationList revocations;
  std::unique_ptr<mgmt::KeyService> keys;
  std::unique_ptr<http::OAuthContext> oauth;
  std::thread rotation_thread;
  std::mutex rotation_mutex;
  std::condition_variable rotation_cv;
  bool stopping = false;
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

// A 32-byte secret given in the configuration (base64url), or kept in a 0600 file of the data
// dir, created on first start.
Result<std::string> LoadSecret(const std::string& configured, std::string_view name,
                               const std::string& path) {
  if (configured.empty()) return LoadOrCreateSecret(path, 32, DefaultRandom());
  auto decoded = Base64UrlDecode(configured);
  if (!decoded || decoded->size() < 32) {
    return Fail(
        Error::InvalidRequest(std::string(name) + ": must be base64url of at least 32 bytes"));
  }
  return *decoded;
}

// The dashboard: --web-dir, else web/dist beside the build directory of this binary (a source
// checkout), else /usr/share/gatehouse/web (an installed package).
std::string WebDir(const Config& config) {
  if (!config.web_dir.empty()) return config.web_dir;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto candidate = exe.parent_path().parent_path() / "web" / "dist";
    if (std::filesystem::exists(candidate / "index.html", ec)) return candidate.string();
  }
  if (std::filesystem::exists("/usr/share/gatehouse/web/index.html", ec)) {
    return "/usr/share/gatehouse/web";
  }
  return {};
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
  GH_ASSIGN_OR_RETURN(auto master_key,
                      LoadSecret(config.master_key, "master_key", config.data_dir + "/master_key"));
  if (master_key.size() != 32) {
    return Fail(Error::InvalidRequest("master_key: must be base64url of exactly 32 bytes"));
  }
  s.sealer = std::make_unique<crypto::KeySealer>(std::move(master_key));

  http::ServerOptions options;
  options.host = config.host();
  options.port = config.port();
  options.io_threads = config.io_threads;
  options.blocking_threads = config.blocking_threads;
  options.body_limit = static_cast<std::size_t>(config.body_limit);
  options.idle_timeout = std::chrono::seconds(config.idle_timeout);
  options.request_timeout = std::chrono::seconds(config.request_timeout);
  options.shutdown_grace = std::chrono::seconds(config.shutdown_grace);

  // Issuers are built from the public URL, so with --listen HOST:0 set public_url explicitly.
  http::Router router;
  s.public_url = config.EffectivePublicUrl();
  s.registry = std::make_unique<snapshot::Registry>(*s.store, s.public_url, *s.sealer);
  s.deps = std::make_unique<mgmt::Deps>(mgmt::Deps{*s.store, *s.registry, *s.hasher, *s.sealer,
                                                   s.clock, DefaultRandom(), s.public_url});
  s.keys = std::make_unique<mgmt::KeyService>(*s.deps);
  s.accounts = std::make_unique<mgmt::AccountService>(*s.deps);
  s.projects = std::make_unique<mgmt::ProjectService>(*s.deps);
  s.apis = std::make_unique<mgmt::ApiService>(*s.deps);
  s.clients = std::make_unique<mgmt::ClientService>(*s.deps);
  s.management = std::make_unique<http::ManagementContext>(
      http::ManagementContext{*s.accounts, *s.projects, *s.apis, *s.clients, *s.keys, s.clock,
                              s.public_url, s.public_url.starts_with("https://")});

  http::AddSystemRoutes(router, [&s] { return s.registry->loaded() && s.store->Healthy(); });
  http::AddManagementRoutes(router, *s.management);
  s.oauth = std::make_unique<http::OAuthContext>(
      http::OAuthContext{*s.registry, s.revocations, *s.store, *s.hasher, s.clock, DefaultRandom(),
                         config.token_leeway});
  http::AddOAuthRoutes(router, *s.oauth);
  GH_ASSIGN_OR_RETURN(auto web, http::StaticFiles::Load(WebDir(config)));
  if (!web->empty()) {
    router.SetFallback([web](http::Request& req) {
      if (const http::Response* file = web->Find(req.path)) return *file;
      return http::ErrorResponse(Error::NotFound("no such endpoint: " + std::string(req.path)));
    });
  }

  GH_RETURN_IF_ERROR(s.registry->LoadAll());
  GH_ASSIGN_OR_RETURN(auto revoked, s.store->ListRevokedTokens(s.clock.Now()));
  for (const auto& r : revoked) {
    s.revocations.Add(r.environment_id, r.jti, ToUnixSeconds(r.expires_at));
  }
  s.server = std::make_unique<http::Server>(options, std::move(router));
  GH_RETURN_IF_ERROR(s.server->Listen());
  return app;
}

void App::Run() {
  Impl& s = *impl_;
  // Housekeeping off the request path: expired revocations, and scheduled key rotation.
  s.rotation_thread = std::thread([&s] {
    std::unique_lock lock(s.rotation_mutex);
    while (!s.rotation_cv.wait_for(lock, std::chrono::seconds(60), [&s] { return s.stopping; })) {
      s.revocations.Purge(s.clock.NowSeconds());
      if (s.config.key_rotation_period > 0) {
        auto rotated = s.keys->RotateDue(std::chrono::seconds(s.config.key_rotation_period));
        if (!rotated) {
          spdlog::error(R"("msg":"scheduled key rotation failed","detail":{}}})",
                        boost::json::serialize(boost::json::value(rotated.error().detail)));
        } else if (*rotated > 0) {
          spdlog::info(R"("msg":"signing keys rotated","count":{}}})", *rotated);
        }
      }
    }
  });
  spdlog::info("\"msg\":\"listening\",\"address\":\"{}:{}\",\"public_url\":\"{}\"}}",
               impl_->config.host(), impl_->server->port(), impl_->public_url);
  impl_->server->Run();
  {
    std::lock_guard lock(s.rotation_mutex);
    s.stopping = true;
  }
  s.rotation_cv.notify_all();
  s.rotation_thread.join();
  spdlog::info("{}", R"("msg":"stopped"})");
}

}  // namespace gatehouse::app
