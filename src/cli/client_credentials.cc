#include "cli/client_credentials.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

namespace gatehouse::cli {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

Error FileError(std::string what, const fs::path& path, int err) {
  return Error::Of(ErrorKind::kServerError, what + " " + path.string() + ": " + std::strerror(err));
}

// Creates `dir` and its missing parents. The last component is ours and private (0700); the
// parents (typically ~/.config) get the usual 0755 minus umask.
Status MakeConfigDir(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return {};
  if (dir.has_parent_path()) {
    fs::create_directories(dir.parent_path(), ec);
    if (ec) return Fail(FileError("cannot create", dir.parent_path(), ec.value()));
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Fail(FileError("cannot create", dir, errno));
  }
  return {};
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

Result<fs::path> ConfigDir(const EnvLookup& env) {
  if (auto dir = env("GATEHOUSE_CONFIG_DIR")) return fs::path(*dir);
  if (auto xdg = env("XDG_CONFIG_HOME")) return fs::path(*xdg) / "gatehouse";
  if (auto home = env("HOME")) return fs::path(*home) / ".config" / "gatehouse";
  return Fail(Error::InvalidRequest(
      "cannot locate the configuration directory: set HOME, XDG_CONFIG_HOME or "
      "GATEHOUSE_CONFIG_DIR"));
}

Result<fs::path> CredentialsPath(const EnvLookup& env) {
  auto dir = ConfigDir(env);
  if (!dir) return Fail(std::move(dir.error()));
  return *dir / "credentials";
}

Result<std::optional<Credentials>> LoadCredentials(const fs::path& path) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return std::optional<Credentials>();
    return Fail(FileError("cannot read", path, errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value doc = json::parse(text.str(), ec);
  const json::object* obj = ec ? nullptr : doc.if_object();
  auto field = [&](std::string_view key) -> const json::string* {
    const json::value* v = obj->if_contains(key);
    return v ? v->if_string() : nullptr;
  };
  if (obj == nullptr || !field("server") || !field("token")) {
    return Fail(Error::InvalidRequest("corrupt credentials file " + path.string() +
                                      ": run `gatehouse login` again"));
  }
  Credentials creds;
  creds.server = std::string(*field("server"));
  creds.token = SecretString(std::string(*field("token")));
  if (const json::string* expires = field("expires_at")) creds.expires_at = std::string(*expires);
  return std::optional<Credentials>(std::move(creds));
}

Status SaveCredentials(const fs::path& path, const Credentials& credentials) {
  if (auto made = MakeConfigDir(path.parent_path()); !made) return made;
  json::object doc;
  doc["server"] = credentials.server;
  doc["token"] = credentials.token.Reveal();
  doc["expires_at"] = credentials.expires_at;
  std::string text = json::serialize(doc) + "\n";

  // 0600 from the first byte: creating with a wider mode and chmod-ing later would leave a
  // window in which another user could open the file.
  fs::path tmp = path;
  tmp += ".tmp";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Fail(FileError("cannot write", tmp, errno));
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int write_err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Fail(FileError("cannot write", tmp, write_err));
    }
    done += static_cast<std::size_t>(n);
  }
  int sync_rc = ::fsync(fd);
  int err = errno;
  if (::close(fd) != 0 && sync_rc == 0) {
    sync_rc = -1;
    err = errno;
  }
  if (sync_rc != 0) {
    ::unlink(tmp.c_str());
    return Fail(FileError("cannot write", tmp, err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tmp.c_str());
    return Fail(FileError("cannot write", path, err));
  }
  return {};
}

Status RemoveCredentials(const fs::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Fail(FileError("cannot remove", path, errno));
  }
  return {};
}

}  // namespace gatehouse::cli
