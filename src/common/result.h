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
