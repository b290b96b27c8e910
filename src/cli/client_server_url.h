#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace gatehouse::cli {

// Where the management API lives, parsed from `--server` (Boost.URL). `base_path` has no
// trailing slash, so that "https://h/gatehouse/" and "https://h/gatehouse" are the same server.
struct ServerUrl {
  std::string scheme;  // "http" or "https"
  std::string host;
  std::string port;  // always set: the default port of the scheme when the URL has none
  std::string base_path;

  // The canonical text of the server, "scheme://host:port/base", used to compare a server with
  // the one saved at login.
  std::string ToString() const;
};

// Parses an absolute http(s) URL. Fails with kInvalidRequest (field "server") for anything
// else: another scheme, no host, a query or a fragment, or userinfo (a password on the
// command line would end up in shell history).
Result<ServerUrl> ParseServerUrl(std::string_view text);

}  // namespace gatehouse::cli
