#include "mgmt/key_service.h"

#include <gtest/gtest.h>

#include <map>

#include "testing/env_fixture.h"

namespace gatehouse::mgmt {
namespace {

std::map<std::string, int> CountByState(const std::vector<domain::SigningKey>& keys) {
  std::map<std::string, int> out;
  for (const auto& k : keys) ++out[k.alg + "/" + k.state];
  return out;
}

TEST(KeyServiceTest, KeysFollowTheAlgorithmsInUseAndRotateOnSchedule) {
  test::EnvFixture f;
  EXPECT_TRUE(f.keys->List(f.owner, f.dev)->empty());
  ASSERT_TRUE(f.apis
                  ->Create(f.owner, f.dev,
                           {std::string("A"), std::string("urn:a"), std::nullopt, std::nullopt,
                            std::string("RS256")})
                  .has_value());
  EXPECT_EQ(CountByState(*f.keys->List(f.owner, f.dev)),
            (std::map<std::string, int>{{"RS256/current", 1}, {"RS256/next", 1}}));
  // Another developer sees nothing; an unused algorithm cannot be rotated.
  EXPECT_EQ(f.keys->List("acc_other", f.dev).error().kind, ErrorKind::kNotFound);
  auto unused = f.keys->Rotate(f.owner, f.dev, std::string("ES256"));
  ASSERT_FALSE(unused.has_value());
  EXPECT_EQ(unused.error().field, "alg");

  EXPECT_EQ(f.keys->RotateDue(std::chrono::hours(24)).value_or(-1), 0);
  f.clock.Advance(std::chrono::hours(25));
  EXPECT_EQ(f.keys->RotateDue(std::chrono::hours(24)).value_or(-1), 1);
  EXPECT_EQ(
      CountByState(*f.keys->List(f.owner, f.dev)),
      (std::map<std::string, int>{{"RS256/current", 1}, {"RS256/next", 1}, {"RS256/previous", 1}}));
  // The previous key is published until every token it signed has expired, then dropped.
  f.clock.Advance(KeyService::kPreviousKeyLifetime + std::chrono::seconds(1));
  EXPECT_EQ(f.keys->List(f.owner, f.dev)->size(), 2u);
}

}  // namespace
}  // namespace gatehouse::mgmt
