#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace gatehouse::domain {

// Input rules of the management API. Each returns the normalised value, or an
// invalid_request Error whose `field` names `field`.

// 1-100 characters of UTF-8 text, trimmed; no control characters.
Result<std::string> ValidateName(std::string_view value, std::string_view field);
// 0-1000 characters, no control characters other than newline and tab.
Result<std::string> ValidateDescription(std::string_view value, std::string_view field);
// A syntactically plausible address (local@domain.tld), at most 254 characters; trimmed and
// lower-cased so that uniqueness is case-insensitive.
Result<std::string> NormalizeEmail(std::string_view value, std::string_view field);
// At least 12 characters, at most 1024, and not the email itself (in any case).
Status ValidatePassword(std::string_view password, std::string_view normalized_email,
                        std::string_view field);
// RFC 6749 §3.3 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ), at most 200 characters.
Status ValidateScopeName(std::string_view value, std::string_view field);
// An API identifier (token audience): 1-300 printable ASCII characters without spaces;
// usually an absolute URL, but URNs and plain names are accepted as in Auth0 and Keycloak.
Status ValidateApiIdentifier(std::string_view value, std::string_view field);
// ES256, EdDSA, RS256 or PS256.
Status ValidateSigningAlg(std::string_view value, std::string_view field);
// client_secret_basic or client_secret_post.
Status ValidateAuthMethod(std::string_view value, std::string_view field);

// Lower-case ASCII slug of `name` ([a-z0-9-], at most 48 characters, no leading or trailing
// dash); "x" when nothing usable remains.
std::string Slugify(std::string_view name);

}  // namespace gatehouse::domain
