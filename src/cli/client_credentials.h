#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret_string.h"

namespace gatehouse::cli {

// Reads an environment variable; nullopt when unset. A seam so that tests need not touch the
// process environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (std::getenv); empty values count as unset.
EnvLookup ProcessEnv();

// What `gatehouse login` leaves behind for the other commands.
struct Credentials {
  std::string server;  // canonical ServerUrl::ToString() of the server that issued the token
  SecretString token;
  std::string expires_at;  // RFC 3339, as the server sent it
};

// The directory holding the credentials file: $GATEHOUSE_CONFIG_DIR if set, else
// $XDG_CONFIG_HOME/gatehouse, else $HOME/.config/gatehouse. Fails (kInvalidRequest) when none
// of these is set.
Result<std::filesystem::path> ConfigDir(const EnvLookup& env);

// ConfigDir(env) / "credentials".
Result<std::filesystem::path> CredentialsPath(const EnvLookup& env);

// nullopt when the file does not exist; an error when it exists but cannot be read or parsed.
Result<std::optional<Credentials>> LoadCredentials(const std::filesystem::path& path);

// Writes the file atomically (temp file + rename) with mode 0600, creating its directory with
// mode 0700 when missing. The token is a bearer secret: no other user may read it.
Status SaveCredentials(const std::filesystem::path& path, const Credentials& credentials);

// Removes the file; absent is success.
Status RemoveCredentials(const std::filesystem::path& path);

}  // namespace gatehouse::cli
