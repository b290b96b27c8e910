#pragma once

#include <string>

#include "snapshot/environment_snapshot.h"

namespace gatehouse::snapshot {

// Endpoint URLs of an environment, all under its issuer.
std::string TokenEndpoint(const EnvironmentSnapshot& s);
std::string IntrospectionEndpoint(const EnvironmentSnapshot& s);
std::string RevocationEndpoint(const EnvironmentSnapshot& s);
std::string JwksUri(const EnvironmentSnapshot& s);
std::string VerifyEndpoint(const EnvironmentSnapshot& s);

// {"keys": [...]} with the public JWK of every published key (next, current, previous).
std::string RenderJwks(const EnvironmentSnapshot& s);
// RFC 8414 authorization server metadata.
std::string RenderMetadata(const EnvironmentSnapshot& s);

}  // namespace gatehouse::snapshot
