#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "crypto/access_token.h"
#include "crypto/key_sealer.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"
#include "store/store.h"

namespace gatehouse::snapshot {

// Transparent hashing so that hot paths look up by string_view without allocating.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

struct ApiEntry {
  std::string id;
  std::string identifier;
  std::string signing_alg;
  int token_lifetime = 3600;
  std::vector<std::string> scopes;
  std::string credential_client_id;
  std::string credential_secret_hash;
};

struct SecretEntry {
  std::string hash;
  std::optional<TimePoint> expires_at;  // nullopt: current
};

// The scopes of a grant, in grant order. Shared by every grant with the same list: a million
// clients usually have a handful of distinct lists.
struct GrantedScopes {
  std::vector<std::string> names;
  std::string joined;  // space-separated
};

struct GrantEntry {
  std::shared_ptr<const ApiEntry> api;
  std::shared_ptr<const GrantedScopes> scopes;
};

struct ClientEntry {
  std::string id;
  std::string client_id;
  std::string_view auth_method;  // domain::kAuthBasic or kAuthPost (static strings)
  bool enabled = true;
  std::vector<SecretEntry> secrets;
  std::vector<GrantEntry> grants;
  // Tokens issued at or before this instant (Unix milliseconds) no longer verify.
  std::optional<int64_t> tokens_revoked_at_ms;
  std::optional<domain::RateLimit> rate_limit;  // overrides the environment's

  const GrantEntry* FindGrant(std::string_view api_identifier) const;
};

// The environment's published keys, by kid: what verification may use.
class PublishedKeys final : public crypto::KeyLookup {
 public:
  const crypto::PublicKey* Find(std::string_view kid) const override;
  StringMap<std::shared_ptr<const crypto::PublicKey>> by_kid;
};

// Everything the hot paths need to know about one environment, immutable once built.
// Shared by every reader through shared_ptr; replaced whole when the configuration changes.
struct EnvironmentSnapshot {
  std::string environment_id;
  std::string project_id;
  std::string project_slug;
  std::string environment_slug;
  std::string issuer;
  uint64_t version = 0;
  std::optional<domain::RateLimit> rate_limit;  // per client on token/introspect/verify
  StringMap<std::shared_ptr<const ApiEntry>> apis_by_identifier;
  StringMap<std::shared_ptr<const ApiEntry>> apis_by_credential;
  StringMap<std::shared_ptr<const ApiEntry>> apis_by_id;
  // Keyed by a view of the entry's own client_id: a million clients, one copy of each id.
  std::unordered_map<std::string_view, std::shared_ptr<const ClientEntry>> clients;
  // The current signing key per algorithm name ("ES256", ...).
  StringMap<std::shared_ptr<const crypto::PrivateKey>> signing_keys;
  PublishedKeys published_keys;
  std::string jwks_json;      // {"keys": [...]}: public parts only
  std::string metadata_json;  // RFC 8414 authorization server metadata

  const ApiEntry* FindApi(std::string_view identifier) const;
  const ApiEntry* FindApiByCredential(std::string_view client_id) const;
  const ClientEntry* FindClient(std::string_view client_id) const;
  const crypto::PrivateKey* SigningKey(std::string_view alg) const;
};

using ScopeLists = std::unordered_map<std::string, std::shared_ptr<const GrantedScopes>>;

// Builds a snapshot as a store visits an environment's configuration (see
// store::EnvironmentConfigVisitor): each client becomes its snapshot entry as it arrives. The
// signing keys are unsealed in Config(): a key that cannot be unsealed (wrong master key,
// corrupt row) is an error, as it is better not to start than to serve tokens that cannot be
// verified.
class SnapshotBuilder final : public store::EnvironmentConfigVisitor {
 public:
  SnapshotBuilder(const std::string& public_url, uint64_t version, const crypto::KeySealer& sealer);
  Status Config(store::EnvironmentConfig config) override;
  Status Client(domain::Client client) override;
  // The finished snapshot; call once, after a successful visit.
  std::shared_ptr<const EnvironmentSnapshot> Finish();

 private:
  const std::string& public_url_;
  const uint64_t version_;
  const crypto::KeySealer& sealer_;
  std::shared_ptr<EnvironmentSnapshot> snap_;
  // Scope lists by their joined form: a million clients usually share a handful of lists.
  ScopeLists scope_lists_;
};

// A copy of `base` with one client's entry replaced, added, or removed (`client` null), and
// `version`; every other entry is shared with `base`. What a write to one client costs instead
// of rebuilding the environment (a million clients: a copy of the map, not a reload). Nullptr
// when `client` is granted an API that `base` does not know: the caller rebuilds instead.
std::shared_ptr<const EnvironmentSnapshot> WithClient(const EnvironmentSnapshot& base,
                                                      uint64_t version, std::string_view client_id,
                                                      const domain::Client* client);

// Associated data that binds a sealed key to its environment and kid, so that a sealed blob
// copied onto another row does not open.
std::string KeySealAad(std::string_view env_id, std::string_view kid);

}  // namespace gatehouse::snapshot
