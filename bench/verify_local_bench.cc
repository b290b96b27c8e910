// Local verification with the public library (gatehouse::verifier::Verifier in local mode,
// keys already cached): the cost a protected API pays per request, per signing algorithm.
//
//   cmake --build build --target verify_local_bench && build/verify_local_bench
#include <benchmark/benchmark.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdlib>
#include <memory>

#include "crypto/alg.h"
#include "crypto/jws.h"
#include "crypto/private_key.h"
#include "gatehouse/verifier.h"

namespace {

namespace gv = gatehouse::verifier;
using gatehouse::crypto::Alg;
using gatehouse::crypto::PrivateKey;

constexpr char kIssuer[] = "https://gatehouse.bench/oauth/acme/production";
constexpr char kAudience[] = "https://orders.bench";

class StaticFetcher final : public gv::HttpFetcher {
 public:
  explicit StaticFetcher(const PrivateKey& key) {
    metadata_ = boost::json::serialize(boost::json::object{
        {"issuer", kIssuer}, {"jwks_uri", std::string(kIssuer) + "/jwks.json"}});
    jwks_ =
        boost::json::serialize(boost::json::object{{"keys", boost::json::array{key.PublicJwk()}}});
  }
  gv::HttpResponse Get(const gv::HttpRequest& request) override {
    gv::HttpResponse res;
    res.status = 200;
    res.body = request.url.ends_with("jwks.json") ? jwks_ : metadata_;
    res.headers["cache-control"] = "max-age=300";
    return res;
  }

 private:
  std::string metadata_;
  std::string jwks_;
};

void BM_VerifyLocal(benchmark::State& state, Alg alg) {
  auto key = PrivateKey::Generate(alg);
  if (!key) std::abort();
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto token = gatehouse::crypto::SignJwt(*key, "at+jwt",
                                          {{"iss", kIssuer},
                                           {"sub", "client-1"},
                                           {"aud", kAudience},
                                           {"client_id", "client-1"},
                                           {"jti", "bench"},
                                           {"scope", "read:orders write:orders"},
                                           {"iat", now},
                                           {"exp", now + 3600}});
  if (!token) std::abort();
  gv::Verifier verifier(
      {.issuer = kIssuer, .audience = kAudience, .fetcher = std::make_shared<StaticFetcher>(*key)});
  if (!verifier.Prefetch()) std::abort();
  for (auto _ : state) {
    auto result = verifier.Verify(*token, "read:orders");
    if (!result.ok()) std::abort();
    benchmark::DoNotOptimize(result);
  }
}

BENCHMARK_CAPTURE(BM_VerifyLocal, ES256, Alg::kES256);
BENCHMARK_CAPTURE(BM_VerifyLocal, EdDSA, Alg::kEdDSA);
BENCHMARK_CAPTURE(BM_VerifyLocal, RS256, Alg::kRS256);

}  // namespace

BENCHMARK_MAIN();
