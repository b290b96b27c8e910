#include "oauth/token_id.h"

#include <array>
#include <cstddef>

#include "common/base64url.h"

namespace gatehouse::oauth {

std::string NewTokenId(int64_t issued_at_ms, Random& random) {
  std::array<std::byte, 24> bytes{};
  for (int i = 0; i < 8; ++i) {
    bytes[static_cast<std::size_t>(i)] =
        static_cast<std::byte>((static_cast<uint64_t>(issued_at_ms) >> (56 - 8 * i)) & 0xFF);
  }
  random.Fill(std::span(bytes).subspan(8));
  return Base64UrlEncode(bytes);
}

int64_t IssuedAtMillis(std::string_view jti, int64_t iat) {
  const int64_t fallback = iat * 1000 + 999;
  auto decoded = Base64UrlDecode(jti);
  if (!decoded || decoded->size() != 24) return fallback;
  uint64_t ms = 0;
  for (int i = 0; i < 8; ++i)
    ms = (ms << 8) | static_cast<unsigned char>((*decoded)[static_cast<std::size_t>(i)]);
  const auto value = static_cast<int64_t>(ms);
  if (value / 1000 != iat) return fallback;
  return value;
}

}  // namespace gatehouse::oauth
