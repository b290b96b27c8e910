// Micro-benchmarks of the cryptography on the hot paths: JWS signing and RFC 9068 verification
// per algorithm, and the client secret check (HMAC-SHA-256 plus a constant-time compare).
//
//   cmake --build build --target crypto_bench && build/crypto_bench
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "crypto/access_token.h"
#include "crypto/alg.h"
#include "crypto/jws.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"
#include "crypto/secret_hash.h"

namespace {

using gatehouse::crypto::Alg;
using gatehouse::crypto::PrivateKey;
using gatehouse::crypto::PublicKey;

constexpr char kIssuer[] = "https://gatehouse.bench/oauth/acme/production";
constexpr char kAudience[] = "https://orders.bench";

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

boost::json::object Claims() {
  const int64_t now = Now();
  return {{"iss", kIssuer},
          {"sub", "ci_7ec93bf50d3d02da9897"},
          {"aud", kAudience},
          {"iat", now},
          {"exp", now + 3600},
          {"jti", "018f3a2b4c5d-9f8e7d6c5b4a39281706"},
          {"client_id", "ci_7ec93bf50d3d02da9897"},
          {"scope", "read:orders write:orders"}};
}

class OneKey final : public gatehouse::crypto::KeyLookup {
 public:
  explicit OneKey(PublicKey key) : key_(std::move(key)) {}
  const PublicKey* Find(std::string_view kid) const override {
    return kid == key_.kid() ? &key_ : nullptr;
  }

 private:
  PublicKey key_;
};

// The signature alone (what openssl speed measures).
void BM_RawSign(benchmark::State& state, Alg alg) {
  auto key = PrivateKey::Generate(alg);
  if (!key) std::abort();
  const std::string input(260, 'x');  // a typical header.payload length
  for (auto _ : state) benchmark::DoNotOptimize(key->Sign(input));
}

// A whole JWT: header and claims serialised, base64url, signed.
void BM_SignJwt(benchmark::State& state, Alg alg) {
  auto key = PrivateKey::Generate(alg);
  if (!key) std::abort();
  const auto claims = Claims();
  for (auto _ : state) benchmark::DoNotOptimize(gatehouse::crypto::SignJwt(*key, "at+jwt", claims));
}

// RFC 9068 verification: parse, key by kid, alg and typ, signature, iss/aud/exp/nbf.
void BM_VerifyAccessToken(benchmark::State& state, Alg alg) {
  auto key = PrivateKey::Generate(alg);
  if (!key) std::abort();
  auto token = gatehouse::crypto::SignJwt(*key, "at+jwt", Claims());
  if (!token) std::abort();
  OneKey keys(key->Public());
  const gatehouse::crypto::VerifyExpectations want{kIssuer, kAudience, Now(), 60};
  for (auto _ : state) {
    auto claims = gatehouse::crypto::VerifyAccessToken(*token, keys, want);
    if (!claims) state.SkipWithError("token did not verify");
    benchmark::DoNotOptimize(claims);
  }
}

void BM_SecretCheck(benchmark::State& state) {
  const gatehouse::crypto::SecretHasher hasher(std::string(32, 'p'));
  const std::string secret = "e8AifQRoUrD2dh3qu-RZn54zg6p8Mk8ZOGvxRiuPdKY";
  const std::string stored = hasher.Hash(secret);
  for (auto _ : state) {
    const std::string presented = hasher.Hash(secret);
    benchmark::DoNotOptimize(gatehouse::crypto::ConstantTimeEquals(presented, stored));
  }
}

BENCHMARK_CAPTURE(BM_RawSign, ES256, Alg::kES256);
BENCHMARK_CAPTURE(BM_RawSign, EdDSA, Alg::kEdDSA);
BENCHMARK_CAPTURE(BM_RawSign, RS256, Alg::kRS256);
BENCHMARK_CAPTURE(BM_SignJwt, ES256, Alg::kES256);
BENCHMARK_CAPTURE(BM_SignJwt, EdDSA, Alg::kEdDSA);
BENCHMARK_CAPTURE(BM_SignJwt, RS256, Alg::kRS256);
BENCHMARK_CAPTURE(BM_SignJwt, PS256, Alg::kPS256);
BENCHMARK_CAPTURE(BM_VerifyAccessToken, ES256, Alg::kES256);
BENCHMARK_CAPTURE(BM_VerifyAccessToken, EdDSA, Alg::kEdDSA);
BENCHMARK_CAPTURE(BM_VerifyAccessToken, RS256, Alg::kRS256);
BENCHMARK_CAPTURE(BM_VerifyAccessToken, PS256, Alg::kPS256);
BENCHMARK(BM_SecretCheck);

}  // namespace

BENCHMARK_MAIN();
