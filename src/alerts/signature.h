#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse::alerts {

// The webhook signature header value: "t=<unix seconds>,v1=<hex HMAC-SHA-256>", the MAC taken
// under the webhook's secret over "<t>.<body>" (the timestamp inside the MAC stops a replay
// of an old delivery with a new timestamp; receivers reject old timestamps).
std::string SignatureHeader(std::string_view secret, int64_t timestamp, std::string_view body);

// Hex HMAC-SHA-256 of "<timestamp>.<body>" under `secret`.
std::string Sign(std::string_view secret, int64_t timestamp, std::string_view body);

// Checks a header against the body, with the timestamp within `tolerance_s` of `now`.
// Constant-time on the MAC.
bool VerifySignature(std::string_view header, std::string_view secret, std::string_view body,
                     int64_t now, int64_t tolerance_s = 300);

inline constexpr const char* kSignatureHeader = "Gatehouse-Signature";

}  // namespace gatehouse::alerts
