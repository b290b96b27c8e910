#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace gatehouse::domain {

// Value types of the management model. Public ids are random strings with a type prefix
// (acc_, prj_, env_, api_, cli_); `seq` is the store's insertion order, used for keyset paging.

struct Account {
  std::string id;
  std::string email;  // normalised (trimmed, lower case)
  std::string password_hash;
  TimePoint created_at;
};

struct Session {
  std::string account_id;
  std::string token_hash;
  TimePoint expires_at;
};

// A token bucket: `requests_per_second` refill, at most `burst` at once.
struct RateLimit {
  double requests_per_second = 0;
  int64_t burst = 0;
};

struct Environment {
  std::string id;
  std::string project_id;
  std::string name;
  std::string slug;  // unique within its project; part of the issuer, never changes
  TimePoint created_at;
  std::optional<RateLimit> rate_limit = std::nullopt;  // per client on token requests
};

struct Project {
  int64_t seq = 0;
  std::string id;
  std::string owner_id;
  std::string name;
  std::string slug;  // globally unique; part of every issuer, never changes
  std::string description;
  std::vector<Environment> environments;
  TimePoint created_at;
};

struct Scope {
  std::string name;
  std::string description;
};

struct Api {
  int64_t seq = 0;
  std::string id;
  std::string environment_id;
  std::string name;
  std::string identifier;  // the token audience
  std::vector<Scope> scopes;
  int token_lifetime = 3600;
  std::string signing_alg = "ES256";
  std::string credential_client_id;    // for introspection
  std::string credential_secret_hash;  // HMAC-SHA-256 under the pepper
  TimePoint created_at;

  bool HasScope(const std::string& scope) const;
};

struct Grant {
  std::string api_id;
  std::string api_identifier;
  std::vector<std::string> scopes;
};

struct ClientSecret {
  int64_t seq = 0;
  std::string hash;  // HMAC-SHA-256 under the pepper
  TimePoint created_at;
  std::optional<TimePoint> expires_at;  // nullopt: the current secret
};

inline constexpr const char* kAuthBasic = "client_secret_basic";
inline constexpr const char* kAuthPost = "client_secret_post";

struct Client {
  int64_t seq = 0;
  std::string id;
  std::string environment_id;
  std::string client_id;
  std::string name;
  std::string description;
  std::string token_endpoint_auth_method = kAuthBasic;
  bool enabled = true;
  std::vector<Grant> grants;
  std::vector<ClientSecret> secrets;
  std::optional<TimePoint> tokens_revoked_at;
  TimePoint created_at;
  std::optional<RateLimit> rate_limit = std::nullopt;  // overrides the environment's
};

// A signing key of one environment and algorithm. Life cycle: next (published in the JWKS, not
// signing yet) -> current (signs) -> previous (published until the last token it signed has
// expired, then dropped). The private key is stored only sealed under the master key.
struct SigningKey {
  std::string kid;  // RFC 7638 thumbprint
  std::string environment_id;
  std::string alg;
  std::string state;  // "next", "current" or "previous"
  std::string sealed_private_key;
  TimePoint created_at;
  std::optional<TimePoint> activated_at;  // became current
  std::optional<TimePoint> retired_at;    // became previous
  std::optional<TimePoint> expires_at;    // previous: unpublished after this
};

inline constexpr const char* kKeyNext = "next";
inline constexpr const char* kKeyCurrent = "current";
inline constexpr const char* kKeyPrevious = "previous";

struct RevokedToken {
  std::string environment_id;
  std::string jti;
  TimePoint expires_at;  // the token's exp: after it the entry is useless
};

}  // namespace gatehouse::domain
