#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/random.h"

namespace gatehouse::oauth {

// Our `jti`: base64url of the issue instant in Unix milliseconds (8 bytes, big-endian) followed
// by 128 random bits. `iat` has one-second resolution, which cannot tell a token issued just
// before a client's revoke-tokens from one issued just after it in the same second; the jti
// can. It is inside the signed token, so it is as trustworthy as `iat`.
std::string NewTokenId(int64_t issued_at_ms, Random& random);

// The issue instant (ms) of a verified token: from the jti when it is ours and agrees with
// `iat`, otherwise the last millisecond of the `iat` second (conservative for revocation).
int64_t IssuedAtMillis(std::string_view jti, int64_t iat);

}  // namespace gatehouse::oauth
