#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "common/secret_string.h"
#include "crypto/secret_hash.h"
#include "oauth/form.h"
#include "snapshot/environment_snapshot.h"

namespace gatehouse::oauth {

struct ClientCredentials {
  std::string client_id;
  SecretString secret;
  std::string method;  // "client_secret_basic" or "client_secret_post"
};

// Reads client credentials from the Authorization header (Basic) or the form body
// (client_id + client_secret). Both at once is invalid_request (RFC 6749 §2.3: a client MUST NOT
// use more than one method); none, or another scheme, is invalid_client.
Result<ClientCredentials> ExtractCredentials(std::string_view authorization, const Form& form);

// Who is calling an OAuth endpoint: one of the environment's clients, or (where allowed) an
// API's own introspection credentials.
struct Caller {
  const snapshot::ClientEntry* client = nullptr;
  const snapshot::ApiEntry* api = nullptr;
};

// Checks the credentials against the snapshot: one HMAC and constant-time compares, no database.
// Every failure is invalid_client (401); `detail` says why for logs and audit. A client must use
// the method it was registered with; a rotated secret works until its grace period ends; a
// disabled client cannot authenticate. Unknown ids cost the same HMAC as known ones.
Result<Caller> AuthenticateCaller(const ClientCredentials& credentials,
                                  const snapshot::EnvironmentSnapshot& env,
                                  const crypto::SecretHasher& hasher, TimePoint now,
                                  bool allow_api_credentials);

}  // namespace gatehouse::oauth
