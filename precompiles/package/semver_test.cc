#include "precompiles/package/semver.h"

#include <gtest/gtest.h>

namespace zkrv::precompiles {
namespace {

bool matches(const char* requirement, const char* version) {
  const auto r = VersionRequirement::parse(requirement);
  const auto v = parse_version(version);
  EXPECT_TRUE(r) << requirement;
  EXPECT_TRUE(v) << version;
  return r && v && r->matches(*v);
}

TEST(Semver, ParsesVersions) {
  EXPECT_EQ(parse_version("1.20.3"), (Version{1, 20, 3}));
  EXPECT_EQ(parse_version("0.0.0"), (Version{0, 0, 0}));
  for (const char* bad : {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.2.x", "1.2.3-rc1", "-1.2.3", "1..3", "1.2.3 "}) {
    EXPECT_FALSE(parse_version(bad)) << bad;
  }
}

TEST(Semver, OrdersVersions) {
  EXPECT_LT((Version{1, 9, 9}), (Version{1, 10, 0}));
  EXPECT_LT((Version{0, 9, 9}), (Version{1, 0, 0}));
}

TEST(Semver, Requirements) {
  EXPECT_TRUE(matches("*", "7.0.1"));
  EXPECT_TRUE(matches("=1.2.3", "1.2.3"));
  EXPECT_FALSE(matches("=1.2.3", "1.2.4"));
  EXPECT_TRUE(matches(">=1.0.0", "3.0.0"));
  EXPECT_FALSE(matches(">=1.0.0", "0.9.9"));
  EXPECT_TRUE(matches("^1.2", "1.9.0"));
  EXPECT_TRUE(matches("^1.2", "1.2.0"));
  EXPECT_FALSE(matches("^1.2", "1.1.9"));
  EXPECT_FALSE(matches("^1.2", "2.0.0"));
  EXPECT_TRUE(matches("^0.2.1", "0.2.5"));
  EXPECT_FALSE(matches("^0.2.1", "0.3.0"));
  EXPECT_TRUE(matches("^0.0.3", "0.0.3"));
  EXPECT_FALSE(matches("^0.0.3", "0.0.4"));
  EXPECT_TRUE(matches("^0", "0.9.0"));
  EXPECT_TRUE(matches("~1.2", "1.2.9"));
  EXPECT_FALSE(matches("~1.2", "1.3.0"));
}

TEST(Semver, RejectsMalformedRequirements) {
  for (const char* bad : {"", "1.2.3", "=1.2", ">=1", "^", "^1.2.3.4", "<2.0.0", "^a", "**", "= 1.2.3"}) {
    EXPECT_FALSE(VersionRequirement::parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace zkrv::precompiles
