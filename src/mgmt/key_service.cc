#include "mgmt/key_service.h"

#include <set>

#include "crypto/alg.h"
#include "crypto/private_key.h"
#include "domain/validation.h"
#include "snapshot/environment_snapshot.h"

namespace gatehouse::mgmt {

Result<domain::SigningKey> KeyService::NewKey(const std::string& env_id, const std::string& alg,
                                              const char* state) {
  auto parsed = crypto::ParseAlg(alg);
  if (!parsed) return Fail(Error::Server("unsupported signing alg " + alg));
  GH_ASSIGN_OR_RETURN(auto key, crypto::PrivateKey::Generate(*parsed));
  domain::SigningKey out;
  out.kid = key.kid();
  out.environment_id = env_id;
  out.alg = alg;
  out.state = state;
  out.sealed_private_key =
      deps_.sealer.Seal(key.ToPkcs8Der(), snapshot::KeySealAad(env_id, key.kid()));
  out.created_at = deps_.clock.Now();
  if (std::string_view(state) == domain::kKeyCurrent) out.activated_at = out.created_at;
  return out;
}

Status KeyService::EnsureKeys(const std::string& env_id, const std::string& alg) {
  GH_ASSIGN_OR_RETURN(auto keys, deps_.store.ListKeys(env_id, deps_.clock.Now()));
  for (const auto& k : keys) {
    if (k.alg == alg && k.state == domain::kKeyCurrent) return {};
  }
  GH_ASSIGN_OR_RETURN(auto current, NewKey(env_id, alg, domain::kKeyCurrent));
  GH_ASSIGN_OR_RETURN(auto next, NewKey(env_id, alg, domain::kKeyNext));
  auto added = deps_.store.AddKeyPair(current, next);
  if (!added && added.error().kind == ErrorKind::kConflict) return {};  // a concurrent writer won
  return added;
}

Result<std::vector<domain::SigningKey>> KeyService::List(const std::string& owner_id,
                                                         const std::string& env_id) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  return deps_.store.ListKeys(env_id, deps_.clock.Now());
}

Status KeyService::RotateOne(const std::string& env_id, const std::string& alg) {
  GH_ASSIGN_OR_RETURN(auto next, NewKey(env_id, alg, domain::kKeyNext));
  const TimePoint now = deps_.clock.Now();
  return deps_.store.RotateKeys(env_id, alg, next, now, now + kPreviousKeyLifetime);
}

Result<std::vector<domain::SigningKey>> KeyService::Rotate(const std::string& owner_id,
                                                           const std::string& env_id,
                                                           const std::optional<std::string>& alg) {
  GH_RETURN_IF_ERROR(deps_.store.GetEnvironment(owner_id, env_id));
  GH_ASSIGN_OR_RETURN(auto keys, deps_.store.ListKeys(env_id, deps_.clock.Now()));
  std::set<std::string> in_use;
  for (const auto& k : keys) {
    if (k.state == domain::kKeyCurrent) in_use.insert(k.alg);
  }
  if (alg) {
    GH_RETURN_IF_ERROR(domain::ValidateSigningAlg(*alg, "alg"));
    if (!in_use.contains(*alg)) {
      return Fail(Error::InvalidRequest(
          "alg: this environment has no " + *alg + " keys (no API signs with " + *alg + ")",
          "alg"));
    }
    in_use = {*alg};
  }
  for (const auto& a : in_use) GH_RETURN_IF_ERROR(RotateOne(env_id, a));
  GH_RETURN_IF_ERROR(deps_.registry.Reload(env_id));
  return deps_.store.ListKeys(env_id, deps_.clock.Now());
}

Result<int> KeyService::RotateDue(std::chrono::seconds period) {
  GH_ASSIGN_OR_RETURN(auto env_ids, deps_.store.ListEnvironmentIds());
  const TimePoint now = deps_.clock.Now();
  int rotated = 0;
  for (const auto& env_id : env_ids) {
    GH_ASSIGN_OR_RETURN(auto keys, deps_.store.ListKeys(env_id, now));
    bool changed = false;
    for (const auto& k : keys) {
      if (k.state == domain::kKeyCurrent && k.activated_at && *k.activated_at + period <= now) {
        GH_RETURN_IF_ERROR(RotateOne(env_id, k.alg));
        changed = true;
        ++rotated;
      }
    }
    if (changed) GH_RETURN_IF_ERROR(deps_.registry.Reload(env_id));
  }
  return rotated;
}

}  // namespace gatehouse::mgmt
