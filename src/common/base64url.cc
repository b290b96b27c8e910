#include "common/base64url.h"

#include <sodium.h>

namespace gatehouse {
namespace {

std::string Encode(const unsigned char* data, std::size_t size, int variant) {
  std::string out(sodium_base64_encoded_len(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, variant);
  out.resize(out.size() - 1);  // sodium writes a trailing NUL
  return out;
}

std::optional<std::string> Decode(std::string_view text, int variant) {
  std::string out(text.size() * 3 / 4 + 3, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end, variant) != 0) {
    return std::nullopt;
  }
  if (end != text.data() + text.size()) return std::nullopt;  // trailing garbage
  out.resize(len);
  return out;
}

}  // namespace

std::string Base64UrlEncode(std::span<const std::byte> data) {
  return Encode(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string Base64UrlEncode(std::string_view data) {
  return Encode(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  return Decode(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<std::string> Base64Decode(std::string_view text) {
  return Decode(text, sodium_base64_VARIANT_ORIGINAL);
}

std::string Base64Encode(std::string_view data) {
  return Encode(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                sodium_base64_VARIANT_ORIGINAL);
}

}  // namespace gatehouse
