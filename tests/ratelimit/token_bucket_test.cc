#include "ratelimit/token_bucket.h"

#include <gtest/gtest.h>

#include "ratelimit/limiter.h"
#include "ratelimit/lockout.h"
#include "ratelimit/source_ip.h"

namespace gatehouse::ratelimit {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

// A fake clock: the tests move time by hand, never sleep.
struct FakeTime {
  int64_t now = 1000 * kSecond;
  void Advance(int64_t ns) { now += ns; }
};

TEST(TokenBucketTest, StartsFullThenRefillsAtTheRate) {
  FakeTime t;
  TokenBucket b;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(b.Admit(t.now, 2.0, 5), 0) << i;
  const int64_t wait = b.Admit(t.now, 2.0, 5);
  EXPECT_GT(wait, 0);
  EXPECT_LE(wait, kSecond / 2 + 1);  // one token per 0.5 s
  t.Advance(kSecond / 2);
  EXPECT_EQ(b.Admit(t.now, 2.0, 5), 0);
  EXPECT_GT(b.Admit(t.now, 2.0, 5), 0);
}

TEST(TokenBucketTest, NeverHoldsMoreThanTheBurst) {
  FakeTime t;
  TokenBucket b;
  EXPECT_EQ(b.Admit(t.now, 1.0, 3), 0);
  t.Advance(3600 * kSecond);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(b.Admit(t.now, 1.0, 3), 0);
  EXPECT_GT(b.Admit(t.now, 1.0, 3), 0);
}

TEST(TokenBucketTest, ClockGoingBackwardsGivesNothingExtra) {
  FakeTime t;
  TokenBucket b;
  EXPECT_EQ(b.Admit(t.now, 1.0, 1), 0);
  EXPECT_GT(b.Admit(t.now - 10 * kSecond, 1.0, 1), 0);
}

TEST(RetryAfterTest, RoundsUpToWholeSecondsAtLeastOne) {
  EXPECT_EQ(RetryAfterSeconds(1), 1);
  EXPECT_EQ(RetryAfterSeconds(kSecond), 1);
  EXPECT_EQ(RetryAfterSeconds(kSecond + 1), 2);
  EXPECT_EQ(RetryAfterSeconds(INT64_MAX), 3600);
}

TEST(LimiterTest, KeysAreIndependent) {
  Limiter limiter;
  const Limit limit{1, 2};
  const int64_t now = 5 * kSecond;
  EXPECT_EQ(limiter.Admit("a", limit, now), 0);
  EXPECT_EQ(limiter.Admit("a", limit, now), 0);
  EXPECT_GT(limiter.Admit("a", limit, now), 0);
  EXPECT_EQ(limiter.Admit("b", limit, now), 0);
  EXPECT_EQ(limiter.Admit("a", Limit{}, now), 0) << "a disabled limit admits everything";
}

TEST(SlidingWindowTest, CountsWithinTheWindowAndForgetsAfter) {
  FakeTime t;
  SlidingWindow w;
  const int64_t window = 60 * kSecond;
  for (int i = 1; i <= 5; ++i) EXPECT_DOUBLE_EQ(w.Add(t.now, window), i);
  // Half a window later, the previous window's 5 count half.
  t.Advance(90 * kSecond);
  EXPECT_NEAR(w.Add(t.now, window), 1 + 5 * 0.5, 1e-9);
  // Two windows later everything before is gone.
  t.Advance(120 * kSecond);
  EXPECT_DOUBLE_EQ(w.Add(t.now, window), 1);
}

TEST(LockoutTest, BlocksAtTheThresholdAndDoublesOnRepeat) {
  FakeTime t;
  Lockout lockout;
  const BlockPolicy policy{3, 60 * kSecond, 10 * kSecond, 3600 * kSecond};
  Block info;
  info.environment_id = "env_1";
  EXPECT_FALSE(lockout.AnyBlocked());
  EXPECT_FALSE(lockout.Fail("k", policy, t.now, {}, info));
  EXPECT_FALSE(lockout.Fail("k", policy, t.now, {}, info));
  auto block = lockout.Fail("k", policy, t.now, {}, info);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->strikes, 1);
  EXPECT_TRUE(lockout.AnyBlocked());
  EXPECT_EQ(*lockout.Blocked("k", t.now), 10 * kSecond);
  EXPECT_FALSE(lockout.Blocked("other", t.now));
  // Failures while blocked are not counted (they were refused first).
  EXPECT_FALSE(lockout.Fail("k", policy, t.now, {}, info));
  t.Advance(10 * kSecond);
  EXPECT_FALSE(lockout.Blocked("k", t.now));
  for (int i = 0; i < 2; ++i) EXPECT_FALSE(lockout.Fail("k", policy, t.now, {}, info));
  block = lockout.Fail("k", policy, t.now, {}, info);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->strikes, 2);
  EXPECT_EQ(*lockout.Blocked("k", t.now), 20 * kSecond);
}

TEST(LockoutTest, ListsAndLiftsPerEnvironment) {
  FakeTime t;
  Lockout lockout;
  const BlockPolicy policy{1, 60 * kSecond, 10 * kSecond, 3600 * kSecond};
  Block info;
  info.environment_id = "env_1";
  auto block = lockout.Fail("k", policy, t.now, {}, info);
  ASSERT_TRUE(block);
  EXPECT_EQ(lockout.List("env_1", t.now).size(), 1u);
  EXPECT_TRUE(lockout.List("env_2", t.now).empty());
  EXPECT_FALSE(lockout.Lift("env_2", block->id)) << "another environment's block";
  EXPECT_TRUE(lockout.Lift("env_1", block->id));
  EXPECT_FALSE(lockout.Blocked("k", t.now));
  EXPECT_TRUE(lockout.List("env_1", t.now).empty());
}

TEST(SourceIpTest, ForwardedOnlyFromTrustedProxies) {
  auto trusted = TrustedProxies::Parse("10.0.0.0/8, ::1");
  ASSERT_TRUE(trusted);
  struct Case {
    const char* peer;
    const char* xff;
    const char* real_ip;
    const char* want;
    bool forwarded;
  };
  const Case cases[] = {
      {"192.0.2.1", "203.0.113.9", "", "192.0.2.1", false},  // untrusted peer: ignored
      {"10.1.2.3", "203.0.113.9", "", "203.0.113.9", true},
      {"10.1.2.3", "1.1.1.1, 203.0.113.9, 10.0.0.7", "", "203.0.113.9", true},  // right-most
      {"10.1.2.3", "", "198.51.100.4", "198.51.100.4", true},
      {"10.1.2.3", "garbage", "", "10.1.2.3", false},
      {"::1", "2001:db8::1", "", "2001:db8::1", true},
  };
  for (const Case& c : cases) {
    auto s = ResolveSource(c.peer, c.xff, c.real_ip, *trusted);
    EXPECT_EQ(s.ip, c.want) << c.peer << " " << c.xff;
    EXPECT_EQ(s.forwarded, c.forwarded) << c.peer << " " << c.xff;
  }
  EXPECT_FALSE(TrustedProxies::Parse("10.0.0.0/33"));
  EXPECT_FALSE(TrustedProxies::Parse("not-an-ip"));
}

}  // namespace
}  // namespace gatehouse::ratelimit
