#include "app/app.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "alerts/dispatcher.h"
#include "app/data_dir.h"
#include "audit/audit_log.h"
#include "common/base64url.h"
#include "common/clock.h"
#include "common/random.h"
#include "crypto/secret_hash.h"
#include "http/handlers/management.h"
#include "http/handlers/metrics.h"
#include "http/handlers/oauth.h"
#include "http/handlers/static_files.h"
#include "http/handlers/system.h"
#include "http/protection.h"
#include "http/server.h"
#include "metrics/metrics.h"
#include "mgmt/account_service.h"
#include "mgmt/api_service.h"
#include "mgmt/client_service.h"
#include "mgmt/key_service.h"
#include "mgmt/project_service.h"
#include "mgmt/security_service.h"
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
  metrics::Metrics metrics;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<alerts::Dispatcher> alerts;
  std::unique_ptr<http::Protection> protection;
  std::unique_ptr<mgmt::SecurityService> security;
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

Result<http::ProtectionOptions> ProtectionOptionsFrom(const Config& c) {
  http::ProtectionOptions o;
  GH_ASSIGN_OR_RETURN(auto accounts,
                      ParseRateSetting("rate_limit_accounts", c.rate_limit_accounts));
  GH_ASSIGN_OR_RETURN(auto login, ParseRateSetting("rate_limit_login", c.rate_limit_login));
  GH_ASSIGN_OR_RETURN(auto mgmt,
                      ParseRateSetting("rate_limit_management", c.rate_limit_management));
  o.accounts = {accounts.requests_per_second, accounts.burst};
  o.login = {login.requests_per_second, login.burst};
  o.management = {mgmt.requests_per_second, mgmt.burst};
  const int64_t block_ns = c.block_duration * 1'000'000'000;
  auto policy = [&](std::string_view key, const std::string& value,
                    int64_t first_ns) -> Result<ratelimit::BlockPolicy> {
    GH_ASSIGN_OR_RETURN(auto l, ParseLockoutSetting(key, value));
    return ratelimit::BlockPolicy{l.count, l.window_seconds * 1'000'000'000, first_ns,
                                  std::max<int64_t>(first_ns, 24 * 3600'000'000'000LL)};
  };
  GH_ASSIGN_OR_RETURN(o.client_ip, policy("lockout_client", c.lockout_client, block_ns));
  GH_ASSIGN_OR_RETURN(o.ip, policy("lockout_ip", c.lockout_ip, block_ns));
  GH_ASSIGN_OR_RETURN(o.login_fail, policy("lockout_login", c.lockout_login,
                                           c.login_block_duration * 1'000'000'000));
  o.login_fail.max_block_ns = 3600'000'000'000LL;
  GH_ASSIGN_OR_RETURN(o.verify_source, policy("lockout_verify", c.lockout_verify, block_ns));
  o.verify_burst = static_cast<int>(c.verify_burst_alert);
  return o;
}

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

  GH_ASSIGN_OR_RETURN(auto protection_options, ProtectionOptionsFrom(config));
  GH_ASSIGN_OR_RETURN(auto trusted, ratelimit::TrustedProxies::Parse(config.trusted_proxies));
  s.audit = std::make_unique<audit::AuditLog>(
      *s.store, s.clock,
      audit::AuditOptions{static_cast<std::size_t>(config.audit_queue_size),
                          std::chrono::milliseconds(200),
                          static_cast<int>(config.audit_retention_days)});
  s.alerts = std::make_unique<alerts::Dispatcher>(
      *s.store, *s.sealer, s.clock, alerts::DispatcherOptions{},
      [m = &s.metrics](std::string_view result) { m->webhook_results.Inc(result); });
  s.protection =
      std::make_unique<http::Protection>(protection_options, *s.audit, s.metrics, s.clock);
  s.protection->SetAlertSink(s.alerts.get());

  http::ServerOptions options;
  options.metrics = &s.metrics;
  options.trusted_proxies = std::move(trusted);
  options.tls_cert = config.tls_cert;
  options.tls_key = config.tls_key;
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
  s.security = std::make_unique<mgmt::SecurityService>(*s.deps, s.protection->lockout());
  s.management = std::make_unique<http::ManagementContext>(http::ManagementContext{
      *s.accounts, *s.projects, *s.apis, *s.clients, *s.keys, s.clock, s.public_url,
      s.public_url.starts_with("https://") || !config.tls_cert.empty(), s.security.get(),
      s.protection.get(), s.registry.get()});
  s.metrics.AddGauge("gatehouse_audit_queue_depth", "Audit events waiting for the writer.", "gauge",
                     [&s] { return static_cast<double>(s.audit->depth()); });
  s.metrics.AddGauge("gatehouse_audit_events_dropped_total",
                     "Audit events lost (queue full or database error).", "counter",
                     [&s] { return static_cast<double>(s.audit->dropped()); });
  s.metrics.AddGauge("gatehouse_audit_events_written_total", "Audit events written.", "counter",
                     [&s] { return static_cast<double>(s.audit->written()); });
  s.metrics.AddGauge("gatehouse_snapshot_version", "Version of the newest configuration snapshot.",
                     "gauge", [&s] { return static_cast<double>(s.registry->version()); });
  s.metrics.AddGauge("gatehouse_active_blocks",
                     "Blocks in force (expired ones leave within a minute).", "gauge",
                     [&s] { return static_cast<double>(s.protection->lockout().ActiveCount()); });
  s.metrics.client_labels = config.metrics_client_labels;
  http::AddMetricsRoute(router, s.metrics, config.metrics_token);

  http::AddSystemRoutes(router, [&s] { return s.registry->loaded() && s.store->Healthy(); });
  http::AddManagementRoutes(router, *s.management);
  s.oauth = std::make_unique<http::OAuthContext>(
      http::OAuthContext{*s.registry, s.revocations, *s.store, *s.hasher, s.clock, DefaultRandom(),
                         config.token_leeway, s.protection.get()});
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
  s.audit->Start();
  s.alerts->Start();
  // Housekeeping off the request path: expired revocations, and scheduled key rotation.
  s.rotation_thread = std::thread([&s] {
    std::unique_lock lock(s.rotation_mutex);
    while (!s.rotation_cv.wait_for(lock, std::chrono::seconds(60), [&s] { return s.stopping; })) {
      s.revocations.Purge(s.clock.NowSeconds());
      s.protection->Sweep();
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
  s.alerts->Stop();
  s.audit->Stop();  // writes what is still queued
  spdlog::info("{}", R"("msg":"stopped"})");
}

}  // namespace gatehouse::app
