// Micro-benchmarks of the token and verify paths outside the crypto: snapshot lookup by
// client_id (10 and 1,000,000 clients), form and header parsing, the whole token endpoint over
// a snapshot (client_secret_basic, ES256) and the token response's JSON.
//
//   cmake --build build --target hot_path_bench && build/hot_path_bench
#include <benchmark/benchmark.h>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "common/base64url.h"
#include "common/clock.h"
#include "common/json_text.h"
#include "common/random.h"
#include "crypto/private_key.h"
#include "crypto/secret_hash.h"
#include "oauth/client_auth.h"
#include "oauth/form.h"
#include "oauth/token_check.h"
#include "oauth/token_endpoint.h"
#include "snapshot/environment_snapshot.h"
#include "snapshot/revocations.h"

namespace {

namespace gh = gatehouse;
namespace snap = gatehouse::snapshot;
namespace bhttp = boost::beast::http;

constexpr char kSecret[] = "e8AifQRoUrD2dh3qu-RZn54zg6p8Mk8ZOGvxRiuPdKY";
constexpr char kAudience[] = "https://orders.bench.test";
constexpr char kBody[] =
    "grant_type=client_credentials&resource=https%3A%2F%2Forders.bench.test&scope=read";

std::string ClientId(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "ci_%020x", i);
  return buf;
}

const gh::crypto::SecretHasher& Hasher() {
  static const gh::crypto::SecretHasher hasher(std::string(32, 'p'));
  return hasher;
}

// An environment like the one `make bench` provisions, built directly (no store).
std::shared_ptr<snap::EnvironmentSnapshot> MakeSnapshot(int clients) {
  auto env = std::make_shared<snap::EnvironmentSnapshot>();
  env->environment_id = "env_bench";
  env->issuer = "http://127.0.0.1:8080/oauth/bench/development";
  auto api = std::make_shared<snap::ApiEntry>();
  api->id = "api_bench";
  api->identifier = kAudience;
  api->signing_alg = "ES256";
  api->scopes = {"read", "write"};
  env->apis_by_identifier.emplace(api->identifier, api);
  auto key = gh::crypto::PrivateKey::Generate(gh::crypto::Alg::kES256);
  if (!key) std::abort();
  auto pub = std::make_shared<gh::crypto::PublicKey>(key->Public());
  env->published_keys.by_kid.emplace(pub->kid(), pub);
  env->signing_keys.emplace("ES256", std::make_shared<gh::crypto::PrivateKey>(std::move(*key)));
  const std::string hash = Hasher().Hash(kSecret);
  auto scopes = std::make_shared<const snap::GrantedScopes>(
      snap::GrantedScopes{{"read", "write"}, "read write"});
  env->clients.reserve(static_cast<std::size_t>(clients));
  for (int i = 0; i < clients; ++i) {
    auto c = std::make_shared<snap::ClientEntry>();
    c->id = "cli_" + std::to_string(i);
    c->client_id = ClientId(i);
    c->auth_method = gh::domain::kAuthBasic;
    c->secrets.push_back({hash, std::nullopt});
    c->grants.push_back({api, scopes});
    env->clients.emplace(c->client_id, std::move(c));
  }
  return env;
}

void BM_SnapshotFindClient(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  auto env = MakeSnapshot(n);
  std::vector<std::string> ids;
  for (int i = 0; i < 4096; ++i) ids.push_back(ClientId(static_cast<int>((i * 2654435761u) % n)));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(env->FindClient(ids[i++ & 4095]));
  }
}

void BM_FormParse(benchmark::State& state) {
  for (auto _ : state) {
    auto form = gh::oauth::Form::Parse(kBody);
    benchmark::DoNotOptimize(form->Get("grant_type"));
  }
}

std::string BasicHeader(const std::string& id) {
  return "Basic " + gh::Base64Encode(id + ":" + kSecret);
}

void BM_ExtractBasicCredentials(benchmark::State& state) {
  auto form = gh::oauth::Form::Parse(kBody);
  const std::string header = BasicHeader(ClientId(1));
  for (auto _ : state) benchmark::DoNotOptimize(gh::oauth::ExtractCredentials(header, *form));
}

std::string RawTokenRequest() {
  return "POST /oauth/bench/development/token HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
         "Content-Type: application/x-www-form-urlencoded\r\nAuthorization: " +
         BasicHeader(ClientId(1)) + "\r\nContent-Length: " + std::to_string(sizeof kBody - 1) +
         "\r\n\r\n" + kBody;
}

// Beast's request parser on one keep-alive token request (header and body).
void BM_HttpParseTokenRequest(benchmark::State& state) {
  const std::string raw = RawTokenRequest();
  for (auto _ : state) {
    bhttp::request_parser<bhttp::string_body> parser;
    boost::system::error_code ec;
    parser.eager(true);
    parser.put(boost::asio::buffer(raw), ec);
    if (ec || !parser.is_done()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(parser.get());
  }
}

struct Deps {
  gh::SystemClock clock;
  gh::Random& random = gh::DefaultRandom();
  gh::oauth::TokenEndpointDeps deps{Hasher(), clock, random};
};

// The token endpoint from parsed form to signed token: everything but HTTP.
void BM_TokenEndpoint(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  auto env = MakeSnapshot(n);
  std::vector<std::string> headers;
  for (int i = 0; i < 256; ++i) headers.push_back(BasicHeader(ClientId((i * 7919) % n)));
  auto form = gh::oauth::Form::Parse(kBody);
  Deps d;
  std::size_t i = 0;
  for (auto _ : state) {
    auto issued = gh::oauth::HandleTokenRequest(*form, headers[i++ & 255], *env, d.deps);
    if (!issued) state.SkipWithError(issued.error().detail.c_str());
    benchmark::DoNotOptimize(issued);
  }
}

// The 200 body of the token endpoint, as a JSON DOM serialised (what the handler did) and as
// a direct append of the few escaped strings (what it does now).
void BM_TokenResponseJsonDom(benchmark::State& state) {
  const std::string token(420, 'A');
  for (auto _ : state) {
    boost::json::object body{{"access_token", token},
                             {"token_type", "Bearer"},
                             {"expires_in", 3600},
                             {"scope", "read write"}};
    benchmark::DoNotOptimize(boost::json::serialize(body));
  }
}

void BM_TokenResponseDirect(benchmark::State& state) {
  const std::string token(420, 'A');
  for (auto _ : state) {
    std::string body;
    body.reserve(token.size() + 96);
    body += '{';
    gh::AppendJsonMember(body, "access_token", token);
    body += ',';
    gh::AppendJsonMember(body, "token_type", "Bearer");
    body += ',';
    gh::AppendJsonMember(body, "expires_in", int64_t{3600});
    body += ',';
    gh::AppendJsonMember(body, "scope", "read write");
    body += '}';
    benchmark::DoNotOptimize(body);
  }
}

// The verify path without HTTP: RFC 9068 checks (a token seen before: from this thread's
// verified-token cache) plus the snapshot and revocation checks.
void BM_CheckAccessToken(benchmark::State& state) {
  auto env = MakeSnapshot(10);
  Deps d;
  auto form = gh::oauth::Form::Parse(kBody);
  auto issued = gh::oauth::HandleTokenRequest(*form, BasicHeader(ClientId(1)), *env, d.deps);
  if (!issued) std::abort();
  gh::snapshot::RevocationList revocations;
  const int64_t now = d.clock.NowSeconds();
  for (auto _ : state) {
    auto checked =
        gh::oauth::CheckAccessToken(issued->access_token, kAudience, *env, revocations, now, 60);
    if (!checked) state.SkipWithError("token refused");
    benchmark::DoNotOptimize(checked);
  }
}

BENCHMARK(BM_SnapshotFindClient)->Arg(10)->Arg(1'000'000);
BENCHMARK(BM_FormParse);
BENCHMARK(BM_ExtractBasicCredentials);
BENCHMARK(BM_HttpParseTokenRequest);
BENCHMARK(BM_TokenEndpoint)->Arg(10)->Arg(1'000'000);
BENCHMARK(BM_TokenResponseJsonDom);
BENCHMARK(BM_TokenResponseDirect);
BENCHMARK(BM_CheckAccessToken);

}  // namespace

BENCHMARK_MAIN();
