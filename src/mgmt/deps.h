#pragma once

#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "crypto/key_sealer.h"
#include "crypto/secret_hash.h"
#include "snapshot/registry.h"
#include "store/store.h"

namespace gatehouse::mgmt {

// What every management service needs; owned by app/, outlives the services.
struct Deps {
  store::Store& store;
  snapshot::Registry& registry;
  const crypto::SecretHasher& hasher;
  const crypto::KeySealer& sealer;
  const Clock& clock;
  Random& random;
  std::string public_url;

  // A new public id: prefix + 20 hex characters (80 random bits).
  std::string NewId(std::string_view prefix) const { return std::string(prefix) + random.Hex(10); }
  // A new 256-bit secret, base64url (43 characters).
  std::string NewSecret() const { return random.Base64Url(32); }
  std::string Issuer(std::string_view project_slug, std::string_view env_slug) const {
    return public_url + "/oauth/" + std::string(project_slug) + "/" + std::string(env_slug);
  }
};

}  // namespace gatehouse::mgmt
