#include "common/random.h"

#include <sodium.h>

#include <array>
#include <cstring>
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

// Small requests (ids, nonces: 16 bytes a request on the hot paths) are served from a
// per-thread block of OS randomness, so that a request costs no getrandom(2) call. Bytes are
// handed out once and wiped from the block as they go.
void SystemRandom::Fill(std::span<std::byte> out) {
  constexpr std::size_t kBlock = 4096;
  constexpr std::size_t kSmall = 64;
  if (out.size() > kSmall) {
    randombytes_buf(out.data(), out.size());
    return;
  }
  struct Block {
    std::array<std::byte, kBlock> bytes;
    std::size_t used = kBlock;
    ~Block() { sodium_memzero(bytes.data(), bytes.size()); }
  };
  thread_local Block block;
  if (kBlock - block.used < out.size()) {
    randombytes_buf(block.bytes.data(), kBlock);
    block.used = 0;
  }
  std::byte* from = block.bytes.data() + block.used;
  std::memcpy(out.data(), from, out.size());
  sodium_memzero(from, out.size());
  block.used += out.size();
}

Random& DefaultRandom() {
  static SystemRandom random;
  return random;
}

}  // namespace gatehouse
