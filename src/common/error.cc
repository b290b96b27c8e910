#include "common/error.h"

namespace gatehouse {

std::string_view ErrorCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidRequest:
      return "invalid_request";
    case ErrorKind::kInvalidClient:
      return "invalid_client";
    case ErrorKind::kInvalidGrant:
      return "invalid_grant";
    case ErrorKind::kInvalidScope:
      return "invalid_scope";
    case ErrorKind::kInvalidTarget:
      return "invalid_target";
    case ErrorKind::kUnsupportedGrantType:
      return "unsupported_grant_type";
    case ErrorKind::kUnauthorizedClient:
      return "unauthorized_client";
    case ErrorKind::kInvalidToken:
      return "invalid_token";
    case ErrorKind::kInsufficientScope:
      return "insufficient_scope";
    case ErrorKind::kUnauthorized:
      return "unauthorized";
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorKind::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorKind::kRateLimited:
      return "rate_limited";
    case ErrorKind::kServerError:
      return "server_error";
    case ErrorKind::kTemporarilyUnavailable:
      return "temporarily_unavailable";
  }
  return "server_error";
}

}  // namespace gatehouse
