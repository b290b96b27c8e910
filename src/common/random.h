#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace gatehouse {

// Seam for randomness. Production uses the OS CSPRNG (libsodium randombytes_buf).
class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(std::span<std::byte> out) = 0;

  // `bytes` random bytes, base64url without padding.
  std::string Base64Url(std::size_t bytes);
  // `bytes` random bytes, lowercase hex.
  std::string Hex(std::size_t bytes);
};

class SystemRandom final : public Random {
 public:
  void Fill(std::span<std::byte> out) override;
};

// Process-wide CSPRNG, thread-safe.
Random& DefaultRandom();

}  // namespace gatehouse
