#include "common/hex.h"

#include <sodium.h>

namespace gatehouse {

std::string HexEncode(std::span<const std::byte> data) {
  std::string out(data.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                 data.size());
  out.pop_back();
  return out;
}

}  // namespace gatehouse
