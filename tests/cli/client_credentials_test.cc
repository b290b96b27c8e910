#include "cli/client_credentials.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

namespace gatehouse::cli {
namespace {

namespace fs = std::filesystem;

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

mode_t ModeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "gh_cli_test_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST(ConfigDirTest, ResolutionOrder) {
  struct Case {
    std::map<std::string, std::string> env;
    std::optional<std::string> want;
  };
  const Case kCases[] = {
      {{{"GATEHOUSE_CONFIG_DIR", "/c"}, {"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}}, "/c"},
      {{{"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}}, "/x/gatehouse"},
      {{{"HOME", "/h"}}, "/h/.config/gatehouse"},
      {{}, std::nullopt},
  };
  for (const Case& c : kCases) {
    auto dir = ConfigDir(FakeEnv(c.env));
    ASSERT_EQ(dir.has_value(), c.want.has_value());
    if (c.want) {
      EXPECT_EQ(dir->string(), *c.want);
    }
  }
  auto path = CredentialsPath(FakeEnv({{"HOME", "/h"}}));
  ASSERT_TRUE(path);
  EXPECT_EQ(path->string(), "/h/.config/gatehouse/credentials");
}

TEST_F(TempDir, MissingFileIsNotLoggedIn) {
  auto loaded = LoadCredentials(root_ / "credentials");
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->has_value());
}

TEST_F(TempDir, SaveCreatesPrivateDirAndFile) {
  fs::path path = root_ / "home" / ".config" / "gatehouse" / "credentials";
  Credentials creds{"http://127.0.0.1:8080", SecretString("tok-123"), "2030-01-01T00:00:00Z"};
  ASSERT_TRUE(SaveCredentials(path, creds));
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ModeOf(path.parent_path()), 0700u);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));

  auto loaded = LoadCredentials(path);
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->server, "http://127.0.0.1:8080");
  EXPECT_EQ((*loaded)->token.Reveal(), "tok-123");
  EXPECT_EQ((*loaded)->expires_at, "2030-01-01T00:00:00Z");
}

TEST_F(TempDir, SaveReplacesAReadableFileWithAPrivateOne) {
  fs::path path = root_ / "credentials";
  { std::ofstream(path) << "old"; }
  ::chmod(path.c_str(), 0644);
  ASSERT_TRUE(SaveCredentials(path, {"http://h:1", SecretString("t"), ""}));
  EXPECT_EQ(ModeOf(path), 0600u);
}

TEST_F(TempDir, SaveKeepsAnExistingDirectoryMode) {
  ::chmod(root_.c_str(), 0750);
  ASSERT_TRUE(SaveCredentials(root_ / "credentials", {"http://h:1", SecretString("t"), ""}));
  EXPECT_EQ(ModeOf(root_), 0750u);
}

TEST_F(TempDir, CorruptFileIsAnError) {
  fs::path path = root_ / "credentials";
  for (const char* text : {"not json", "[]", R"({"server":"x"})", R"({"server":1,"token":"t"})"}) {
    { std::ofstream(path) << text; }
    auto loaded = LoadCredentials(path);
    ASSERT_FALSE(loaded) << text;
    EXPECT_NE(loaded.error().description.find("gatehouse login"), std::string::npos);
  }
}

TEST_F(TempDir, RemoveIsIdempotent) {
  fs::path path = root_ / "credentials";
  ASSERT_TRUE(SaveCredentials(path, {"http://h:1", SecretString("t"), ""}));
  EXPECT_TRUE(RemoveCredentials(path));
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(RemoveCredentials(path));
}

}  // namespace
}  // namespace gatehouse::cli
