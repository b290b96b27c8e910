#pragma once

#include "common/clock.h"
#include "common/random.h"
#include "crypto/secret_hash.h"
#include "http/protection.h"
#include "http/router.h"
#include "snapshot/registry.h"
#include "snapshot/revocations.h"
#include "store/store.h"

namespace gatehouse::http {

struct OAuthContext {
  snapshot::Registry& registry;
  snapshot::RevocationList& revocations;
  store::KeyStore& store;  // revocation (RFC 7009) is a write
  const crypto::SecretHasher& hasher;
  const Clock& clock;
  Random& random;
  int64_t leeway = 0;                // seconds of clock skew accepted on exp/iat
  Protection* protection = nullptr;  // rate limits, blocking, audit, metrics
};

// Every environment's authorization server under its issuer path /oauth/{project}/{env}:
// metadata (also at the RFC 8414 well-known location), JWKS, token, verify, introspection and
// revocation. All but revocation read only the snapshot and run on the I/O threads.
void AddOAuthRoutes(Router& router, OAuthContext& ctx);

}  // namespace gatehouse::http
