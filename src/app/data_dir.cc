#include "app/data_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/base64url.h"

namespace gatehouse::app {
namespace {

Error SysError(const std::string& what, const std::string& path) {
  return Error::Server(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Status PrepareDataDir(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Fail(Error::Server("cannot create data dir " + path + ": " + ec.message()));
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Fail(SysError("cannot stat", path));
  if (!S_ISDIR(st.st_mode)) return Fail(Error::Server(path + " is not a directory"));
  if ((st.st_mode & 077) != 0) {
    if (st.st_uid != ::geteuid() || ::chmod(path.c_str(), 0700) != 0) {
      return Fail(Error::Server("data dir " + path +
                                " is readable by others and cannot be made private (chmod 700)"));
    }
  }
  return {};
}

Result<std::string> LoadOrCreateSecret(const std::string& path, std::size_t bytes, Random& random) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return Fail(SysError("cannot create", path));
    std::string encoded = random.Base64Url(bytes) + "\n";
    const bool ok =
        ::write(fd, encoded.data(), encoded.size()) == static_cast<ssize_t>(encoded.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return Fail(SysError("cannot write", path));
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  }
  if (fd < 0) return Fail(SysError("cannot open", path));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
    ::close(fd);
    return Fail(
        Error::Server("secret file " + path + " must not be readable by others (chmod 600)"));
  }
  std::string text(4096, '\0');
  const ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  if (n <= 0) return Fail(SysError("cannot read", path));
  text.resize(static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  auto decoded = Base64UrlDecode(text);
  if (!decoded || decoded->size() < bytes) {
    return Fail(Error::Server("secret file " + path + " is corrupt (expected base64url of " +
                              std::to_string(bytes) + " bytes)"));
  }
  return *decoded;
}

}  // namespace gatehouse::app
