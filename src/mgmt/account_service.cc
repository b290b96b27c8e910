#include "mgmt/account_service.h"

#include "crypto/password.h"
#include "domain/validation.h"

namespace gatehouse::mgmt {
namespace {

Error BadLogin() { return Error::Of(ErrorKind::kUnauthorized, "email or password is incorrect"); }

}  // namespace

Result<domain::Account> AccountService::Register(std::string_view email,
                                                 std::string_view password) {
  GH_ASSIGN_OR_RETURN(std::string normalized, domain::NormalizeEmail(email, "email"));
  GH_RETURN_IF_ERROR(domain::ValidatePassword(password, normalized, "password"));
  GH_ASSIGN_OR_RETURN(std::string hash, crypto::HashPassword(password));
  domain::Account account{deps_.NewId("acc_"), normalized, std::move(hash), deps_.clock.Now()};
  return deps_.store.CreateAccount(account);
}

std::optional<std::string> AccountService::IdForEmail(std::string_view email) {
  auto normalized = domain::NormalizeEmail(email, "email");
  if (!normalized) return std::nullopt;
  auto account = deps_.store.FindAccountByEmail(*normalized);
  if (!account) return std::nullopt;
  return account->id;
}

Result<NewSession> AccountService::Login(std::string_view email, std::string_view password) {
  auto normalized = domain::NormalizeEmail(email, "email");
  Result<domain::Account> account =
      normalized ? deps_.store.FindAccountByEmail(*normalized) : Fail(BadLogin());
  if (!account && account.error().kind != ErrorKind::kNotFound &&
      account.error().kind != ErrorKind::kUnauthorized) {
    return Fail(std::move(account.error()));
  }
  // VerifyPassword hashes against a dummy when there is no account, so that both failures
  // cost the same time.
  const bool ok = crypto::VerifyPassword(password, account ? account->password_hash : "");
  if (!account || !ok) return Fail(BadLogin());

  NewSession session{SecretString(deps_.NewSecret()), deps_.clock.Now() + kSessionLifetime,
                     account->id};
  GH_RETURN_IF_ERROR(deps_.store.CreateSession(
      {account->id, crypto::Sha256(session.token.Reveal()), session.expires_at}));
  return session;
}

Result<domain::Account> AccountService::Authenticate(std::string_view session_token) {
  if (session_token.empty()) {
    return Fail(Error::Of(ErrorKind::kUnauthorized, "authentication required"));
  }
  auto session = deps_.store.FindSession(crypto::Sha256(session_token), deps_.clock.Now());
  if (!session) {
    if (session.error().kind == ErrorKind::kNotFound) {
      return Fail(Error::Of(ErrorKind::kUnauthorized, "session is invalid or expired"));
    }
    return Fail(std::move(session.error()));
  }
  return deps_.store.GetAccount(session->account_id);
}

Status AccountService::Logout(std::string_view session_token) {
  return deps_.store.DeleteSession(crypto::Sha256(session_token));
}

}  // namespace gatehouse::mgmt
