#include "ratelimit/source_ip.h"

#include <array>
#include <charconv>
#include <optional>

namespace gatehouse::ratelimit {
namespace {

using boost::asio::ip::address;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<address> ParseAddress(std::string_view text) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string(Trim(text)), ec);
  if (ec) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return address(boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()));
  }
  return a;
}

template <std::size_t N>
bool SamePrefix(const std::array<unsigned char, N>& a, const std::array<unsigned char, N>& b,
                int prefix) {
  int bits = prefix;
  for (std::size_t i = 0; i < N && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

bool InNet(const address& a, const address& base, int prefix) {
  if (a.is_v4() != base.is_v4()) return false;
  return a.is_v4() ? SamePrefix(a.to_v4().to_bytes(), base.to_v4().to_bytes(), prefix)
                   : SamePrefix(a.to_v6().to_bytes(), base.to_v6().to_bytes(), prefix);
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies out;
  while (!list.empty()) {
    const auto end = list.find_first_of(", ");
    std::string_view item = Trim(list.substr(0, end));
    list = end == std::string_view::npos ? std::string_view() : list.substr(end + 1);
    if (item.empty()) continue;
    const auto slash = item.find('/');
    auto base = ParseAddress(item.substr(0, slash));
    if (!base) {
      return Fail(Error::InvalidRequest("trusted_proxies: not an IP or CIDR: " + std::string(item),
                                        "trusted_proxies"));
    }
    int prefix = base->is_v4() ? 32 : 128;
    if (slash != std::string_view::npos) {
      std::string_view p = item.substr(slash + 1);
      int v = -1;
      auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
      if (ec != std::errc() || ptr != p.data() + p.size() || v < 0 || v > prefix) {
        return Fail(Error::InvalidRequest(
            "trusted_proxies: bad prefix length in " + std::string(item), "trusted_proxies"));
      }
      prefix = v;
    }
    out.nets_.push_back({*base, prefix});
  }
  return out;
}

bool TrustedProxies::Contains(const address& a) const {
  for (const auto& n : nets_) {
    if (InNet(a, n.base, n.prefix)) return true;
  }
  return false;
}

Source ResolveSource(std::string_view peer, std::string_view xff, std::string_view real_ip,
                     const TrustedProxies& trusted) {
  Source out{std::string(peer), false};
  if (trusted.empty() || (xff.empty() && real_ip.empty())) return out;
  auto peer_addr = ParseAddress(peer);
  if (!peer_addr || !trusted.Contains(*peer_addr)) return out;
  while (!xff.empty()) {
    const auto comma = xff.rfind(',');
    std::string_view item = comma == std::string_view::npos ? xff : xff.substr(comma + 1);
    xff = comma == std::string_view::npos ? std::string_view() : xff.substr(0, comma);
    auto a = ParseAddress(item);
    if (!a) break;
    if (trusted.Contains(*a)) continue;
    return {a->to_string(), true};
  }
  if (auto a = ParseAddress(real_ip)) return {a->to_string(), true};
  return out;
}

}  // namespace gatehouse::ratelimit
