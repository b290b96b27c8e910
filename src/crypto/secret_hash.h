#pragma once

#include <openssl/types.h>

#include <string>
#include <string_view>

namespace gatehouse::crypto {

// Client and API secrets are server-generated 256-bit values, so a fast keyed hash is the right
// tool (a slow password hash would only cost us throughput): HMAC-SHA-256 under a server pepper
// that lives outside the database. A database copy alone is not enough to test guesses.
//
// Thread-safe: immutable after construction.
class SecretHasher {
 public:
  // REQUIRES: pepper is at least 32 bytes.
  explicit SecretHasher(std::string pepper);
  ~SecretHasher();
  SecretHasher(const SecretHasher&) = delete;
  SecretHasher& operator=(const SecretHasher&) = delete;

  // The 32-byte raw HMAC of `secret`.
  std::string Hash(std::string_view secret) const;

  // True when `secret` hashes to `stored_hash`, compared in constant time.
  bool Matches(std::string_view secret, std::string_view stored_hash) const;

 private:
  std::string pepper_;
  // HMAC keyed once with the pepper; each Hash copies it, sparing the key schedule and the
  // algorithm fetch (null if this OpenSSL cannot: Hash then keys each time).
  EVP_MAC_CTX* keyed_ = nullptr;
};

// Constant-time equality of two byte strings (length is not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Raw SHA-256 digest (session tokens, token cache keys).
std::string Sha256(std::string_view data);

}  // namespace gatehouse::crypto
