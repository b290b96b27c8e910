#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace gatehouse::alerts {

struct PostResult {
  int status = 0;  // 0: no HTTP answer (see error)
  std::string error;
};

// One POST to an http(s) URL with a deadline; never throws. HTTPS verifies the server's
// certificate against the system trust store.
PostResult PostJson(const std::string& url, const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    std::chrono::seconds timeout);

}  // namespace gatehouse::alerts
