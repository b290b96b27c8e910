#include "gatehouse/verifier.h"

#include <optional>

#include "crypto/access_token.h"
#include "crypto/jws.h"
#include "verifier/internal.h"
#include "verifier/key_cache.h"
#include "verifier/remote_checker.h"

namespace gatehouse::verifier {
namespace {

std::string Describe(crypto::VerifyFailure failure) {
  using F = crypto::VerifyFailure;
  switch (failure) {
    case F::kExpired:
      return "the token has expired";
    case F::kIssuedInFuture:
    case F::kNotYetValid:
      return "the token is not valid yet";
    case F::kWrongIssuer:
      return "the token was issued by another issuer";
    case F::kWrongAudience:
      return "the token is not for this API";
    case F::kBadSignature:
    case F::kUnknownKid:
    case F::kMissingKid:
    case F::kAlgMismatch:
    case F::kUnsupportedAlg:
      return "the token signature is not valid";
    default:
      return "the token is malformed";
  }
}

}  // namespace

struct Verifier::Impl {
  explicit Impl(VerifierOptions o)
      : options(std::move(o)),
        fetcher(options.fetcher ? options.fetcher : MakeHttpFetcher()),
        clock(options.clock ? options.clock : std::make_shared<const SystemClock>()) {
    if (options.mode == Mode::kLocal) {
      keys.emplace(options.issuer,
                   internal::KeyCacheOptions{options.default_key_age, options.max_key_age,
                                             options.min_refetch_interval, options.max_stale},
                   *fetcher, *clock);
    } else {
      remote.emplace(options.issuer, options.audience, options.remote_cache_ttl,
                     options.remote_cache_entries, *fetcher, *clock);
    }
  }

  VerifyResult Local(std::string_view token, std::string_view required) {
    std::string error;
    auto key_set = keys->Current(&error);
    if (key_set == nullptr) {
      return internal::Refusal(Outcome::kUnavailable, "keys_unavailable",
                               "no verification keys: " + error, required);
    }
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(clock->Now().time_since_epoch()).count();
    const crypto::VerifyExpectations want{options.issuer, options.audience, now,
                                          options.leeway.count()};
    auto claims = crypto::VerifyAccessToken(token, *key_set, want);
    if (!claims && claims.error() == crypto::VerifyFailure::kUnknownKid) {
      // A rotation we have not seen yet, or a forged kid: refetch, rate-limited.
      if (auto newer = keys->RefetchForUnknownKid(key_set)) {
        claims = crypto::VerifyAccessToken(token, *newer, want);
      }
    }
    if (!claims) {
      return internal::Refusal(Outcome::kInvalidToken,
                               std::string(crypto::VerifyFailureName(claims.error())),
                               Describe(claims.error()), required);
    }
    VerifyResult r;
    r.outcome = Outcome::kOk;
    r.required_scope = std::string(required);
    r.claims = internal::FromAccessTokenClaims(std::move(*claims));
    return r;
  }

  VerifierOptions options;
  std::shared_ptr<HttpFetcher> fetcher;
  std::shared_ptr<const Clock> clock;
  std::optional<internal::KeyCache> keys;
  std::optional<internal::RemoteChecker> remote;
};

Verifier::Verifier(VerifierOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Verifier::~Verifier() = default;

const VerifierOptions& Verifier::options() const { return impl_->options; }

VerifyResult Verifier::Verify(std::string_view token, std::string_view required_scopes) const {
  if (token.empty()) {
    return internal::Refusal(Outcome::kInvalidToken, "missing_token", "a bearer token is required",
                             required_scopes);
  }
  // Checked before any work or any header we send: a JWS is b64token characters only.
  if (token.size() > crypto::kMaxJwsSize || !internal::IsB64Token(token)) {
    return internal::Refusal(Outcome::kInvalidToken, "malformed", "the token is malformed",
                             required_scopes);
  }
  VerifyResult r = impl_->remote ? impl_->remote->Check(token, required_scopes)
                                 : impl_->Local(token, required_scopes);
  if (r.ok()) {
    std::string missing = internal::MissingScope(r.claims, required_scopes);
    if (!missing.empty()) {
      return internal::Refusal(Outcome::kInsufficientScope, "insufficient_scope",
                               "the token lacks scope " + missing, required_scopes);
    }
  }
  return r;
}

VerifyResult Verifier::VerifyAuthorization(std::string_view authorization,
                                           std::string_view required_scopes) const {
  return Verify(BearerToken(authorization), required_scopes);
}

bool Verifier::Prefetch(std::string* error) {
  if (impl_->remote) return impl_->remote->Prefetch(error);
  return impl_->keys->Refresh(error);
}

}  // namespace gatehouse::verifier
