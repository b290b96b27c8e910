#include "alerts/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

#include "common/hex.h"

namespace gatehouse::alerts {

std::string Sign(std::string_view secret, int64_t timestamp, std::string_view body) {
  std::string message = std::to_string(timestamp);
  message.push_back('.');
  message.append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

std::string SignatureHeader(std::string_view secret, int64_t timestamp, std::string_view body) {
  return "t=" + std::to_string(timestamp) + ",v1=" + Sign(secret, timestamp, body);
}

bool VerifySignature(std::string_view header, std::string_view secret, std::string_view body,
                     int64_t now, int64_t tolerance_s) {
  int64_t t = -1;
  std::string_view v1;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view part = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (part.starts_with("t=")) {
      auto [ptr, ec] = std::from_chars(part.data() + 2, part.data() + part.size(), t);
      if (ec != std::errc() || ptr != part.data() + part.size()) return false;
    } else if (part.starts_with("v1=")) {
      v1 = part.substr(3);
    }
  }
  if (t < 0 || v1.empty() || t < now - tolerance_s || t > now + tolerance_s) return false;
  const std::string expected = Sign(secret, t, body);
  return expected.size() == v1.size() &&
         CRYPTO_memcmp(expected.data(), v1.data(), expected.size()) == 0;
}

}  // namespace gatehouse::alerts
