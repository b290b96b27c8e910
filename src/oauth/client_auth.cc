#include "oauth/client_auth.h"

#include <algorithm>
#include <cctype>

#include "common/base64url.h"

namespace gatehouse::oauth {
namespace {

Error InvalidClient(std::string detail) {
  return Error{ErrorKind::kInvalidClient, "client authentication failed", std::move(detail), {}};
}

// RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64, so the client_id "a:b"
// arrives as "a%3Ab". Decode both halves after splitting at the first colon.
Result<ClientCredentials> FromBasic(std::string_view value) {
  auto decoded = Base64Decode(value);
  if (!decoded) return Fail(InvalidClient("malformed Basic credentials"));
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return Fail(InvalidClient("Basic credentials without a colon"));
  auto form = Form::Parse("u=" + decoded->substr(0, colon) + "&p=" + decoded->substr(colon + 1));
  if (!form || !form->Get("u") || !form->Get("p")) {
    return Fail(InvalidClient("malformed Basic credentials"));
  }
  return ClientCredentials{std::string(*form->Get("u")), SecretString(std::string(*form->Get("p"))),
                           domain::kAuthBasic};
}

bool StartsWithScheme(std::string_view header, std::string_view scheme) {
  return header.size() > scheme.size() && header[scheme.size()] == ' ' &&
         std::equal(scheme.begin(), scheme.end(), header.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

}  // namespace

Result<ClientCredentials> ExtractCredentials(std::string_view authorization, const Form& form) {
  GH_RETURN_IF_ERROR(form.RejectDuplicates({"client_id", "client_secret"}));
  const auto form_id = form.Get("client_id");
  const auto form_secret = form.Get("client_secret");
  if (!authorization.empty()) {
    if (!StartsWithScheme(authorization, "Basic")) {
      return Fail(InvalidClient("unsupported Authorization scheme"));
    }
    if (form_secret) {
      return Fail(Error::Of(ErrorKind::kInvalidRequest,
                            "use one client authentication method: Basic or client_secret in the "
                            "body, not both"));
    }
    std::string_view value = authorization.substr(6);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    GH_ASSIGN_OR_RETURN(auto creds, FromBasic(value));
    if (form_id && *form_id != creds.client_id) {
      return Fail(Error::Of(ErrorKind::kInvalidRequest,
                            "client_id in the body differs from the Basic credentials"));
    }
    return creds;
  }
  if (form_id && form_secret) {
    return ClientCredentials{std::string(*form_id), SecretString(std::string(*form_secret)),
                             domain::kAuthPost};
  }
  return Fail(InvalidClient(form_id ? "client_secret missing" : "no client authentication"));
}

Result<Caller> AuthenticateCaller(const ClientCredentials& credentials,
                                  const snapshot::EnvironmentSnapshot& env,
                                  const crypto::SecretHasher& hasher, TimePoint now,
                                  bool allow_api_credentials) {
  const std::string presented = hasher.Hash(credentials.secret.Reveal());
  if (const auto* client = env.FindClient(credentials.client_id)) {
    bool matched = false;
    for (const auto& secret : client->secrets) {
      const bool valid = !secret.expires_at || *secret.expires_at > now;
      // Compare every secret (no early exit), so timing does not tell which one matched.
      matched |= valid & crypto::ConstantTimeEquals(presented, secret.hash);
    }
    if (!matched) return Fail(InvalidClient("wrong secret for client " + client->client_id));
    if (credentials.method != client->auth_method) {
      return Fail(InvalidClient("client " + client->client_id + " is registered for " +
                                std::string(client->auth_method) + ", used " + credentials.method));
    }
    if (!client->enabled)
      return Fail(InvalidClient("client " + client->client_id + " is disabled"));
    return Caller{client, nullptr};
  }
  if (allow_api_credentials) {
    if (const auto* api = env.FindApiByCredential(credentials.client_id)) {
      if (!crypto::ConstantTimeEquals(presented, api->credential_secret_hash)) {
        return Fail(InvalidClient("wrong secret for API credential " + credentials.client_id));
      }
      return Caller{nullptr, api};
    }
  }
  return Fail(InvalidClient("unknown client " + credentials.client_id));
}

}  // namespace gatehouse::oauth
