#include "alerts/dispatcher.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "alerts/signature.h"
#include "alerts/webhook_client.h"

namespace gatehouse::alerts {
namespace {

std::string Rfc3339(TimePoint t) {
  const std::time_t secs = static_cast<std::time_t>(ToUnixSeconds(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string WebhookAad(const std::string& webhook_id) { return "webhook:" + webhook_id; }

}  // namespace

Dispatcher::Dispatcher(store::SecurityStore& store, const crypto::KeySealer& sealer,
                       const Clock& clock, DispatcherOptions options, Observer observer)
    : store_(store),
      sealer_(sealer),
      clock_(clock),
      options_(options),
      observer_(std::move(observer)) {}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Raise(domain::Alert alert) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.capacity) {
      spdlog::warn(R"("msg":"alert queue full, alert dropped","type":"{}"}})", alert.type);
      return;
    }
    queue_.push_back(std::move(alert));
  }
  cv_.notify_one();
}

void Dispatcher::Start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
}

void Dispatcher::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Dispatcher::Run() {
  std::vector<domain::Alert> batch;
  for (;;) {
    bool stop = false;
    {
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, options_.poll, [this] { return stopping_ || !queue_.empty(); });
      stop = stopping_;
      batch.swap(queue_);
    }
    for (const auto& a : batch) Store(a);
    batch.clear();
    if (stop) break;
    auto due = store_.DueDeliveries(clock_.Now(), 20);
    if (!due) {
      spdlog::error(R"("msg":"webhook deliveries not read","detail":{}}})",
                    boost::json::serialize(boost::json::value(due.error().detail)));
      continue;
    }
    for (auto& d : *due) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) break;
      }
      Deliver(d);
    }
  }
}

void Dispatcher::Store(const domain::Alert& alert) {
  if (auto s = store_.CreateAlert(alert); !s) {
    spdlog::error(R"("msg":"alert not stored","detail":{}}})",
                  boost::json::serialize(boost::json::value(s.error().detail)));
  }
  spdlog::warn(R"("msg":"alert","type":"{}","environment":"{}","message":{}}})", alert.type,
               alert.environment_id, boost::json::serialize(boost::json::value(alert.message)));
  auto hooks = store_.ListWebhooks(alert.project_id);
  if (!hooks) return;
  for (const auto& h : *hooks) {
    if (!h.Wants(alert.type)) continue;
    boost::system::error_code ec;
    auto detail = boost::json::parse(alert.detail, ec);
    if (ec) detail = boost::json::object{};
    domain::WebhookDelivery d;
    d.id = "dlv_" + DefaultRandom().Hex(10);
    d.webhook_id = h.id;
    d.event = alert.type;
    d.payload = boost::json::serialize(boost::json::object{
        {"id", d.id},
        {"type", alert.type},
        {"created_at", Rfc3339(alert.created_at)},
        {"alert", boost::json::object{{"id", alert.id},
                                      {"type", alert.type},
                                      {"project_id", alert.project_id},
                                      {"environment_id", alert.environment_id},
                                      {"message", alert.message},
                                      {"detail", detail},
                                      {"created_at", Rfc3339(alert.created_at)}}}});
    d.next_attempt_at = clock_.Now();
    d.created_at = clock_.Now();
    if (auto s = store_.CreateDelivery(d); !s) {
      spdlog::error(R"("msg":"webhook delivery not queued","detail":{}}})",
                    boost::json::serialize(boost::json::value(s.error().detail)));
    }
  }
}

void Dispatcher::Deliver(domain::WebhookDelivery& d) {
  boost::system::error_code ec;
  auto payload = boost::json::parse(d.payload, ec);
  std::string project_id;
  if (!ec && payload.is_object()) {
    if (auto alert = payload.as_object().if_contains("alert"); alert && alert->is_object()) {
      if (auto p = alert->as_object().if_contains("project_id"); p && p->is_string()) {
        project_id = std::string(p->as_string());
      }
    }
  }
  auto hook = store_.GetWebhook(project_id, d.webhook_id);
  ++d.attempts;
  if (!hook) {
    d.state = "failed";
    d.last_error = "webhook no longer exists";
    (void)store_.UpdateDelivery(d);
    return;
  }
  auto secret = sealer_.Open(hook->sealed_secret, WebhookAad(hook->id));
  if (!secret) {
    d.state = "failed";
    d.last_error = "webhook secret cannot be unsealed";
    (void)store_.UpdateDelivery(d);
    return;
  }
  const int64_t now = clock_.NowSeconds();
  PostResult result = PostJson(hook->url, d.payload,
                               {{kSignatureHeader, SignatureHeader(*secret, now, d.payload)},
                                {"Gatehouse-Event", d.event},
                                {"Gatehouse-Delivery", d.id}},
                               options_.timeout);
  d.last_status = result.status == 0 ? std::nullopt : std::optional<int>(result.status);
  d.last_error = result.status == 0     ? result.error
                 : result.status >= 300 ? "HTTP " + std::to_string(result.status)
                                        : "";
  std::string outcome;
  if (result.status >= 200 && result.status < 300) {
    d.state = "delivered";
    outcome = "delivered";
  } else if (d.attempts >= options_.max_attempts) {
    d.state = "failed";
    outcome = "failed";
  } else {
    auto wait = options_.retry_base;
    for (int i = 1; i < d.attempts && wait < std::chrono::hours(1); ++i) wait *= 2;
    d.next_attempt_at = clock_.Now() + std::min<std::chrono::seconds>(wait, std::chrono::hours(1));
    outcome = "retry";
  }
  if (observer_) observer_(outcome);
  spdlog::info(
      R"("msg":"webhook delivery","delivery":"{}","webhook":"{}","result":"{}","status":{}}})",
      d.id, hook->id, outcome, result.status);
  if (auto s = store_.UpdateDelivery(d); !s) {
    spdlog::error(R"("msg":"webhook delivery not updated","detail":{}}})",
                  boost::json::serialize(boost::json::value(s.error().detail)));
  }
}

}  // namespace gatehouse::alerts
