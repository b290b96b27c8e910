#include "common/random.h"

#include <sodium.h>

#include <vector>

#include "common/base64url.h"
#include "common/hex.h"

namespace gatehouse {

std::string Random::Base64Url(std::size_t bytes) {
  std::vector<std::byte> buf(bytes);
  Fill(buf);
  return Base64UrlEncode(buf);
}

std::string Random::Hex(std::size_t bytes) {
  std::vector<std::byte> buf(bytes);
  Fill(buf);
  return HexEncode(buf);
}

void SystemRandom::Fill(std::span<std::byte> out) { randombytes_buf(out.data(), out.size()); }

Random& DefaultRandom() {
  static SystemRandom random;
  return random;
}

}  // namespace gatehouse
