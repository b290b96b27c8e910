#pragma once

#include <optional>
#include <string>

#include "cli/client_credentials.h"
#include "common/result.h"
#include "common/secret_string.h"

namespace gatehouse::cli {

// The account password: `flag` (from --password) if given, else $GATEHOUSE_PASSWORD, else one
// line of stdin. On a terminal the prompt goes to stderr and echo is off; `confirm` asks twice
// there (signup). Fails (kInvalidRequest, field "password") on an empty password or a
// mismatched confirmation.
Result<SecretString> ReadPassword(const std::optional<std::string>& flag, const EnvLookup& env,
                                  bool confirm);

}  // namespace gatehouse::cli
