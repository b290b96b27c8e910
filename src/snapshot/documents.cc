#include "snapshot/documents.h"

#include <boost/json.hpp>
#include <set>

namespace gatehouse::snapshot {

std::string TokenEndpoint(const EnvironmentSnapshot& s) { return s.issuer + "/token"; }
std::string IntrospectionEndpoint(const EnvironmentSnapshot& s) { return s.issuer + "/introspect"; }
std::string RevocationEndpoint(const EnvironmentSnapshot& s) { return s.issuer + "/revoke"; }
std::string JwksUri(const EnvironmentSnapshot& s) { return s.issuer + "/jwks.json"; }
std::string VerifyEndpoint(const EnvironmentSnapshot& s) { return s.issuer + "/verify"; }

std::string RenderJwks(const EnvironmentSnapshot& s) {
  boost::json::array keys;
  // Stable order (by kid) so that the document only changes when the key set does.
  std::set<std::string> kids;
  for (const auto& [kid, key] : s.published_keys.by_kid) kids.insert(kid);
  for (const auto& kid : kids) keys.push_back(s.published_keys.by_kid.find(kid)->second->Jwk());
  return boost::json::serialize(boost::json::object{{"keys", std::move(keys)}});
}

std::string RenderMetadata(const EnvironmentSnapshot& s) {
  boost::json::array auth_methods{"client_secret_basic", "client_secret_post"};
  std::set<std::string> scope_set;
  for (const auto& [identifier, api] : s.apis_by_identifier) {
    for (const auto& scope : api->scopes) scope_set.insert(scope);
  }
  boost::json::array scopes;
  for (const auto& scope : scope_set) scopes.push_back(boost::json::string(scope));
  boost::json::object doc{
      {"issuer", s.issuer},
      {"token_endpoint", TokenEndpoint(s)},
      {"jwks_uri", JwksUri(s)},
      {"introspection_endpoint", IntrospectionEndpoint(s)},
      {"revocation_endpoint", RevocationEndpoint(s)},
      {"verify_endpoint", VerifyEndpoint(s)},
      {"grant_types_supported", boost::json::array{"client_credentials"}},
      {"response_types_supported", boost::json::array{}},
      {"token_endpoint_auth_methods_supported", auth_methods},
      {"introspection_endpoint_auth_methods_supported", auth_methods},
      {"revocation_endpoint_auth_methods_supported", auth_methods},
      {"scopes_supported", std::move(scopes)},
      {"access_token_signing_alg_values_supported",
       boost::json::array{"ES256", "EdDSA", "RS256", "PS256"}},
      {"token_types_supported", boost::json::array{"Bearer"}},
  };
  return boost::json::serialize(doc);
}

}  // namespace gatehouse::snapshot
