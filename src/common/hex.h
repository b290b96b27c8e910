#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace gatehouse {

std::string HexEncode(std::span<const std::byte> data);
inline std::string HexEncode(std::string_view data) {
  return HexEncode(std::as_bytes(std::span(data.data(), data.size())));
}

}  // namespace gatehouse
