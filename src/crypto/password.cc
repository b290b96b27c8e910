#include "crypto/password.h"

#include <sodium.h>

namespace gatehouse::crypto {
namespace {

// Interactive limits: ~64 MiB and a fraction of a second, the libsodium recommendation for
// online logins.
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

const std::string& DummyHash() {
  static const std::string hash = [] {
    char out[crypto_pwhash_STRBYTES];
    const char kDummy[] = "gatehouse-dummy-password";
    if (crypto_pwhash_str(out, kDummy, sizeof(kDummy) - 1, kOpsLimit, kMemLimit) != 0)
      return std::string();
    return std::string(out);
  }();
  return hash;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), kOpsLimit, kMemLimit) != 0) {
    return Fail(Error::Server("crypto_pwhash_str failed (out of memory?)"));
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  const bool usable = !encoded.empty() && encoded.size() < crypto_pwhash_STRBYTES &&
                      encoded.starts_with("$argon2id$");
  std::string hash(usable ? encoded : std::string_view(DummyHash()));
  const bool ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  return usable && ok;
}

}  // namespace gatehouse::crypto
