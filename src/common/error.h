#pragma once

#include <string>
#include <string_view>

namespace gatehouse {

// What went wrong, in the vocabulary of the protocol. Only http/error_mapping.cc turns a
// kind into a status code and headers; everything else passes Errors along.
enum class ErrorKind {
  kInvalidRequest,
  kInvalidClient,
  kInvalidGrant,
  kInvalidScope,
  kInvalidTarget,
  kUnsupportedGrantType,
  kUnauthorizedClient,
  kInvalidToken,
  kInsufficientScope,
  kUnauthorized,
  kNotFound,
  kMethodNotAllowed,
  kConflict,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kRateLimited,
  kServerError,
  kTemporarilyUnavailable,
};

// The snake_case code of a kind, as it appears in the "error" member of a JSON body.
std::string_view ErrorCode(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::kServerError;
  std::string description;  // may be shown to the caller
  std::string detail;       // logs only, never sent
  std::string field;        // management API: the offending request field, if any

  static Error InvalidRequest(std::string description, std::string field = {}) {
    return Error{ErrorKind::kInvalidRequest, std::move(description), {}, std::move(field)};
  }
  static Error NotFound(std::string description = "not found") {
    return Error{ErrorKind::kNotFound, std::move(description), {}, {}};
  }
  static Error Conflict(std::string description, std::string field = {}) {
    return Error{ErrorKind::kConflict, std::move(description), {}, std::move(field)};
  }
  static Error Server(std::string detail) {
    return Error{ErrorKind::kServerError, "internal error", std::move(detail), {}};
  }
  static Error Of(ErrorKind kind, std::string description, std::string detail = {}) {
    return Error{kind, std::move(description), std::move(detail), {}};
  }
};

}  // namespace gatehouse
