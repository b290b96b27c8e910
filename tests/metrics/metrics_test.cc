#include "metrics/metrics.h"

#include <gtest/gtest.h>

namespace gatehouse::metrics {
namespace {

TEST(MetricsTest, RendersCountersAndCumulativeHistogram) {
  Metrics m;
  const int route = m.RegisterRoute("POST /oauth/{}/{}/token");
  EXPECT_EQ(m.RegisterRoute("POST /oauth/{}/{}/token"), route);
  m.ObserveRequest(route, 200, 50);       // 50 us
  m.ObserveRequest(route, 401, 2000);     // 2 ms
  m.ObserveRequest(route, 418, 3000000);  // unusual status, 3 s
  m.tokens_refused.Inc("token:invalid_client");
  m.AddGauge("gatehouse_snapshot_version", "v", "gauge", [] { return 7.0; });
  const std::string text = m.Render();
  EXPECT_NE(text.find("gatehouse_http_requests_total{route=\"POST /oauth/{}/{}/token\","
                      "status=\"200\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("status=\"other\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("le=\"0.0001\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("gatehouse_tokens_refused_total{reason=\"token:invalid_client\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("gatehouse_snapshot_version 7\n"), std::string::npos);
}

TEST(LabeledCounterTest, CardinalityIsBounded) {
  LabeledCounter c;
  for (int i = 0; i < 1000; ++i) c.Inc("label" + std::to_string(i));
  const auto snap = c.Snapshot();
  EXPECT_EQ(snap.size(), LabeledCounter::kCapacity);
  EXPECT_EQ(snap.back().first, "other");
  EXPECT_EQ(snap.back().second, 1000u - (LabeledCounter::kCapacity - 1));
}

TEST(EscapeLabelTest, EscapesQuotesBackslashesNewlines) {
  EXPECT_EQ(EscapeLabel("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace gatehouse::metrics
