#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <mutex>

namespace gatehouse::audit {
namespace {

class FakeClock final : public Clock {
 public:
  TimePoint Now() const override { return now; }
  TimePoint now = TimePoint(std::chrono::seconds(1'800'000'000));
};

// Records audit batches; everything else is unused here.
class FakeStore final : public store::SecurityStore {
 public:
  Status AppendAuditEvents(const std::vector<domain::AuditEvent>& events) override {
    std::lock_guard lock(mutex);
    if (fail) return Fail(Error::Server("disk full"));
    ++batches;
    written.insert(written.end(), events.begin(), events.end());
    return {};
  }
  Result<store::Page<domain::AuditEvent>> ListAuditEvents(const domain::AuditFilter&,
                                                          store::PageRequest) override {
    return store::Page<domain::AuditEvent>{};
  }
  Result<int64_t> PurgeAuditEvents(TimePoint before) override {
    std::lock_guard lock(mutex);
    purged_before = before;
    return 0;
  }
  Status CreateAlert(const domain::Alert&) override { return {}; }
  Result<store::Page<domain::Alert>> ListAlerts(const std::string&, store::PageRequest) override {
    return store::Page<domain::Alert>{};
  }
  Status CreateWebhook(const domain::Webhook&) override { return {}; }
  Result<std::vector<domain::Webhook>> ListWebhooks(const std::string&) override {
    return std::vector<domain::Webhook>{};
  }
  Result<domain::Webhook> GetWebhook(const std::string&, const std::string&) override {
    return Fail(Error::NotFound());
  }
  Status DeleteWebhook(const std::string&, const std::string&) override { return {}; }
  Status CreateDelivery(const domain::WebhookDelivery&) override { return {}; }
  Status UpdateDelivery(const domain::WebhookDelivery&) override { return {}; }
  Result<std::vector<domain::WebhookDelivery>> DueDeliveries(TimePoint, int) override {
    return std::vector<domain::WebhookDelivery>{};
  }
  Result<store::Page<domain::WebhookDelivery>> ListDeliveries(const std::string&,
                                                              store::PageRequest) override {
    return store::Page<domain::WebhookDelivery>{};
  }

  std::mutex mutex;
  bool fail = false;
  int batches = 0;
  std::vector<domain::AuditEvent> written;
  std::optional<TimePoint> purged_before;
};

domain::AuditEvent Event(std::string type) {
  domain::AuditEvent e;
  e.type = std::move(type);
  return e;
}

TEST(AuditLogTest, OverflowIsCountedAndRequestsGoOn) {
  FakeStore store;
  FakeClock clock;
  AuditLog log(store, clock, {3, std::chrono::milliseconds(10), 0});
  // Not started: nothing drains the queue, so the fourth event does not fit.
  EXPECT_TRUE(log.Record(Event("a")));
  EXPECT_TRUE(log.Record(Event("b")));
  EXPECT_TRUE(log.Record(Event("c")));
  EXPECT_FALSE(log.Record(Event("d")));
  EXPECT_EQ(log.dropped(), 1u);
  EXPECT_EQ(log.depth(), 3u);
  log.Start();
  log.Stop();  // writes what is queued
  ASSERT_EQ(store.written.size(), 3u);
  EXPECT_EQ(store.written[0].type, "a");
  EXPECT_EQ(store.written[0].at, clock.now) << "stamped when recorded";
  EXPECT_EQ(log.written(), 3u);
  EXPECT_EQ(log.depth(), 0u);
}

TEST(AuditLogTest, WritesInBatchesAndPurgesPastRetention) {
  FakeStore store;
  FakeClock clock;
  AuditLog log(store, clock, {1000, std::chrono::milliseconds(5), 30});
  for (int i = 0; i < 100; ++i) log.Record(Event("e"));
  log.Start();
  log.Stop();
  EXPECT_EQ(store.written.size(), 100u);
  EXPECT_LE(store.batches, 2) << "one transaction per batch, not per event";
  ASSERT_TRUE(store.purged_before);
  EXPECT_EQ(*store.purged_before, clock.now - std::chrono::hours(24 * 30));
}

TEST(AuditLogTest, AFailedBatchCountsAsDropped) {
  FakeStore store;
  store.fail = true;
  FakeClock clock;
  AuditLog log(store, clock, {1000, std::chrono::milliseconds(5), 0});
  log.Record(Event("a"));
  log.Record(Event("b"));
  log.Start();
  log.Stop();
  EXPECT_EQ(log.dropped(), 2u);
  EXPECT_EQ(log.written(), 0u);
}

}  // namespace
}  // namespace gatehouse::audit
