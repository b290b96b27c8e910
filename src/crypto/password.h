#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace gatehouse::crypto {

// Developer passwords: argon2id through libsodium's crypto_pwhash_str (salt and parameters
// are encoded in the returned string). Slow on purpose; never call on an I/O thread.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `encoded`. Runs the full hash even when `encoded` is empty or
// malformed (against a fixed dummy hash), so that "no such account" and "wrong password" take
// the same time.
bool VerifyPassword(std::string_view password, std::string_view encoded);

}  // namespace gatehouse::crypto
