#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "alerts/alert_sink.h"
#include "common/clock.h"
#include "common/random.h"
#include "crypto/key_sealer.h"
#include "store/store.h"

namespace gatehouse::alerts {

struct DispatcherOptions {
  std::size_t capacity = 10000;        // queued alerts; beyond: dropped and logged
  std::chrono::seconds retry_base{5};  // first retry; doubles per attempt, capped at 1 h
  int max_attempts = 8;
  std::chrono::seconds timeout{10};  // per delivery attempt
  std::chrono::milliseconds poll{500};
};

// Stores alerts and delivers them to the project's webhooks, all on one background thread:
// Raise() only queues. Each delivery is a row (pending -> delivered | failed) retried with
// exponential backoff, so deliveries survive a restart and are listed by the API.
class Dispatcher final : public AlertSink {
 public:
  using Observer = std::function<void(std::string_view result)>;  // metrics hook

  Dispatcher(store::SecurityStore& store, const crypto::KeySealer& sealer, const Clock& clock,
             DispatcherOptions options = {}, Observer observer = {});
  ~Dispatcher() override;

  void Raise(domain::Alert alert) override;
  void Start();
  void Stop();

 private:
  void Run();
  void Store(const domain::Alert& alert);
  void Deliver(domain::WebhookDelivery& delivery);

  store::SecurityStore& store_;
  const crypto::KeySealer& sealer_;
  const Clock& clock_;
  const DispatcherOptions options_;
  Observer observer_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<domain::Alert> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gatehouse::alerts
