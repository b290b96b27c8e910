#pragma once

#include <string>

#include "common/random.h"
#include "common/result.h"

namespace gatehouse::app {

// Creates `path` (and parents) with mode 0700 when missing. An existing directory that others
// can read is tightened to 0700 when we own it, and refused otherwise.
Status PrepareDataDir(const std::string& path);

// Reads the secret file `path`, or creates it (mode 0600, O_EXCL) holding `bytes` random bytes
// as base64url. Refuses a file others can read. Returns the decoded bytes.
Result<std::string> LoadOrCreateSecret(const std::string& path, std::size_t bytes, Random& random);

}  // namespace gatehouse::app
