#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secret_string.h"

namespace gatehouse::cli {

// `--grant API_IDENTIFIER=scope1,scope2`: the client may ask tokens for `api` with any of
// `scopes`.
struct GrantSpec {
  std::string api;
  std::vector<std::string> scopes;
};

// `--scope read:orders[=Read the orders]`.
struct ScopeSpec {
  std::string name;
  std::string description;
};

// Splits at the first '=' (RFC 8707 §2: an identifier should carry no query, so '=' belongs
// to the separator). Fails (kInvalidRequest, field "grant") when the API or the scope list is
// empty, or when a scope is empty or contains whitespace.
Result<GrantSpec> ParseGrant(std::string_view text);

// Merges `--grant` flags naming the same API (scopes united, first-seen order kept).
Result<std::vector<GrantSpec>> ParseGrants(const std::vector<std::string>& texts);

// Fails (kInvalidRequest, field "scope") on an empty name or a name with whitespace
// (RFC 6749 §3.3 scope tokens).
Result<ScopeSpec> ParseScope(std::string_view text);

struct ProjectCreateArgs {
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> environments;  // empty: the server's default set
};
struct ProjectUpdateArgs {
  std::optional<std::string> name;
  std::optional<std::string> description;
};
struct ApiCreateArgs {
  std::string name;
  std::string identifier;
  std::vector<std::string> scopes;  // unparsed `--scope` values
  std::optional<long long> token_lifetime;
  std::optional<std::string> signing_alg;
};
struct ClientCreateArgs {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> auth_method;
  std::vector<std::string> grants;  // unparsed `--grant` values
};

// Request bodies of the management API (PRODUCT.md). Optional members are left out so that
// the server's defaults apply.
boost::json::object BuildCredentialsBody(std::string_view email, const SecretString& password);
boost::json::object BuildProjectCreate(const ProjectCreateArgs& args);
// Fails (kInvalidRequest) when there is nothing to change.
Result<boost::json::object> BuildProjectUpdate(const ProjectUpdateArgs& args);
boost::json::object BuildEnvironmentCreate(std::string_view name);
Result<boost::json::object> BuildApiCreate(const ApiCreateArgs& args);
Result<boost::json::object> BuildClientCreate(const ClientCreateArgs& args);
boost::json::object BuildRotateSecret(std::optional<long long> previous_secret_ttl);

// Percent-encodes one path segment, so that an id typed by the user ("../x", "a/b") cannot
// address another resource.
std::string PathSegment(std::string_view id);

// `path` with the paging query: "?limit=200" and, when not empty, "&cursor=<encoded>".
std::string PageTarget(std::string_view path, std::string_view cursor);

}  // namespace gatehouse::cli
