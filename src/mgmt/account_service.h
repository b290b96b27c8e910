#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "common/secret_string.h"
#include "domain/model.h"
#include "mgmt/deps.h"

namespace gatehouse::mgmt {

struct NewSession {
  SecretString token;  // shown once, to the caller that logged in
  TimePoint expires_at;
  std::string account_id;
};

// Developer accounts and their sessions. Password hashing is slow on purpose: call from a
// blocking worker, never from an I/O thread.
class AccountService {
 public:
  static constexpr std::chrono::hours kSessionLifetime{12};

  explicit AccountService(Deps& deps) : deps_(deps) {}

  // 400 naming "email" or "password"; 409 when the email is taken (case-insensitively).
  Result<domain::Account> Register(std::string_view email, std::string_view password);
  // 401 unauthorized for an unknown email or a wrong password alike, in the same time.
  Result<NewSession> Login(std::string_view email, std::string_view password);
  // The id of the account with this email, for the audit trail of failed logins.
  std::optional<std::string> IdForEmail(std::string_view email);
  // The account behind a session token; 401 when unknown or expired.
  Result<domain::Account> Authenticate(std::string_view session_token);
  Status Logout(std::string_view session_token);

 private:
  Deps& deps_;
};

}  // namespace gatehouse::mgmt
