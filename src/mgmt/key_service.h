#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/model.h"
#include "mgmt/deps.h"

namespace gatehouse::mgmt {

// Signing keys of environments: one current and one next key per algorithm in use.
//
// Rotation never breaks tokens in flight: the next key is in the JWKS before it signs anything,
// and the key it replaces stays published for kPreviousKeyLifetime, longer than any token
// (token_lifetime is at most 86400 s) can live.
class KeyService {
 public:
  static constexpr std::chrono::seconds kPreviousKeyLifetime{86400 + 300};

  explicit KeyService(Deps& deps) : deps_(deps) {}

  // Creates a current and a next key for `alg` when the environment has none. Does not reload
  // the snapshot (the caller does, after its own write).
  Status EnsureKeys(const std::string& env_id, const std::string& alg);
  Result<std::vector<domain::SigningKey>> List(const std::string& owner_id,
                                               const std::string& env_id);
  // Rotates `alg`, or every algorithm in use when absent. 400 naming "alg" for an algorithm
  // the environment does not use.
  Result<std::vector<domain::SigningKey>> Rotate(const std::string& owner_id,
                                                 const std::string& env_id,
                                                 const std::optional<std::string>& alg);
  // Rotates every algorithm of every environment whose current key became current more than
  // `period` ago. Returns how many rotations were made.
  Result<int> RotateDue(std::chrono::seconds period);

 private:
  Result<domain::SigningKey> NewKey(const std::string& env_id, const std::string& alg,
                                    const char* state);
  Status RotateOne(const std::string& env_id, const std::string& alg);
  Deps& deps_;
};

}  // namespace gatehouse::mgmt
