#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "crypto/secret_hash.h"
#include "oauth/form.h"
#include "snapshot/environment_snapshot.h"

namespace gatehouse::oauth {

struct IssuedToken {
  std::string access_token;
  int64_t expires_in = 0;
  std::string scope;
  // For logs and audit:
  std::string jti;
  std::string client_id;
  std::string audience;
};

struct TokenEndpointDeps {
  const crypto::SecretHasher& hasher;
  const Clock& clock;
  Random& random;
};

// The client_credentials grant (RFC 6749 §4.4) over one environment snapshot, as named steps:
// RejectDuplicateParams -> AuthenticateClient -> CheckGrantType -> ResolveAudience ->
// CheckScopes -> IssueToken. Errors carry RFC 6749 §5.2 kinds; `detail` says why.
// Reads only the snapshot: no database, no locks.
Result<IssuedToken> HandleTokenRequest(const Form& form, std::string_view authorization,
                                       const snapshot::EnvironmentSnapshot& env,
                                       const TokenEndpointDeps& deps);

// The RFC 9068 access token for `client` and `grant`, signed with the environment's current key
// for the API's algorithm.
Result<IssuedToken> IssueToken(const snapshot::EnvironmentSnapshot& env,
                               const snapshot::ClientEntry& client,
                               const snapshot::GrantEntry& grant, std::string scope,
                               const TokenEndpointDeps& deps);

}  // namespace gatehouse::oauth
