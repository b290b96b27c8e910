#pragma once

#include <expected>

#include "common/error.h"

namespace gatehouse {

// Every fallible call returns a Result; errors are values, never exceptions across modules.
template <typename T>
using Result = std::expected<T, Error>;

using Status = Result<void>;

inline std::unexpected<Error> Fail(Error e) { return std::unexpected<Error>(std::move(e)); }

}  // namespace gatehouse

// Early returns for Result chains (the Abseil RETURN_IF_ERROR / ASSIGN_OR_RETURN pattern).
#define GH_CONCAT_INNER(a, b) a##b
#define GH_CONCAT(a, b) GH_CONCAT_INNER(a, b)
#define GH_RETURN_IF_ERROR(expr)                               \
  do {                                                         \
    if (auto gh_status_ = (expr); !gh_status_) {               \
      return ::gatehouse::Fail(std::move(gh_status_.error())); \
    }                                                          \
  } while (0)
#define GH_ASSIGN_OR_RETURN(lhs, expr) \
  GH_ASSIGN_OR_RETURN_IMPL(GH_CONCAT(gh_result_, __LINE__), lhs, expr)
#define GH_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)              \
  auto tmp = (expr);                                          \
  if (!tmp) return ::gatehouse::Fail(std::move(tmp.error())); \
  lhs = std::move(*tmp)
