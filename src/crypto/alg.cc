#include "crypto/alg.h"

#include <array>
#include <utility>

namespace gatehouse::crypto {
namespace {

constexpr std::array<std::pair<std::string_view, Alg>, 4> kAlgs = {{
    {"ES256", Alg::kES256},
    {"EdDSA", Alg::kEdDSA},
    {"RS256", Alg::kRS256},
    {"PS256", Alg::kPS256},
}};

}  // namespace

std::optional<Alg> ParseAlg(std::string_view name) {
  for (const auto& [n, alg] : kAlgs) {
    if (n == name) return alg;
  }
  return std::nullopt;
}

std::string_view AlgName(Alg alg) {
  for (const auto& [n, a] : kAlgs) {
    if (a == alg) return n;
  }
  return "unknown";
}

}  // namespace gatehouse::crypto
