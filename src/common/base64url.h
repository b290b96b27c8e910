#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse {

// RFC 7515 §2 base64url without padding (libsodium's URL-safe, no-padding variant).
std::string Base64UrlEncode(std::span<const std::byte> data);
std::string Base64UrlEncode(std::string_view data);

// Strict decode: padding, whitespace and characters outside the URL-safe alphabet are refused
// (nullopt), as are non-canonical trailing bits.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Standard base64 with padding (HTTP Basic). nullopt on any malformed input.
std::optional<std::string> Base64Decode(std::string_view text);
std::string Base64Encode(std::string_view data);

}  // namespace gatehouse
