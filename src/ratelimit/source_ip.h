#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace gatehouse::ratelimit {

// Addresses and networks whose X-Forwarded-For / X-Real-IP we believe.
class TrustedProxies {
 public:
  // "10.0.0.1, 192.168.0.0/16, ::1": comma or space separated IPs and CIDRs; "" trusts no one.
  static Result<TrustedProxies> Parse(std::string_view list);
  bool Contains(const boost::asio::ip::address& address) const;
  bool empty() const { return nets_.empty(); }

 private:
  struct Net {
    boost::asio::ip::address base;
    int prefix = 0;
  };
  std::vector<Net> nets_;
};

struct Source {
  std::string ip;          // the client: the peer, or what a trusted proxy says
  bool forwarded = false;  // `ip` came from a trusted proxy's header
};

// The peer address, unless the peer is a trusted proxy that names the client: then the
// right-most X-Forwarded-For entry that is not itself a trusted proxy (entries left of it are
// whatever the client claimed), else X-Real-IP. Malformed headers are ignored.
Source ResolveSource(std::string_view peer, std::string_view x_forwarded_for,
                     std::string_view x_real_ip, const TrustedProxies& trusted);

}  // namespace gatehouse::ratelimit
