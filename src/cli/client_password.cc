#include "cli/client_password.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace gatehouse::cli {
namespace {

std::optional<std::string> ReadLine() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Reads one line from the terminal with echo off, restoring the terminal whatever happens.
std::optional<std::string> PromptHidden(const char* prompt) {
  std::cerr << prompt << std::flush;
  termios saved{};
  bool restore = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (restore) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    restore = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  std::optional<std::string> line = ReadLine();
  if (restore) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  return line;
}

}  // namespace

Result<SecretString> ReadPassword(const std::optional<std::string>& flag, const EnvLookup& env,
                                  bool confirm) {
  std::optional<std::string> password = flag;
  if (!password) password = env("GATEHOUSE_PASSWORD");
  if (!password) {
    if (::isatty(STDIN_FILENO)) {
      password = PromptHidden("Password: ");
      if (password && confirm) {
        std::optional<std::string> again = PromptHidden("Password (again): ");
        if (again != password) {
          return Fail(Error::InvalidRequest("the passwords do not match", "password"));
        }
      }
    } else {
      password = ReadLine();
    }
  }
  if (!password || password->empty()) {
    return Fail(Error::InvalidRequest(
        "no password: give --password, set GATEHOUSE_PASSWORD or type it on stdin", "password"));
  }
  return SecretString(std::move(*password));
}

}  // namespace gatehouse::cli
