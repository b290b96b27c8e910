#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "http/router.h"

namespace gatehouse::http {

// The dashboard's built assets, read into memory once at start-up: requests never touch the
// file system, so no path can escape the directory. "/" is index.html. Every answer carries a
// strict Content-Security-Policy and the usual security headers; hashed assets are cached
// immutably, index.html is revalidated.
class StaticFiles {
 public:
  // Loads every regular file under `dir`. An empty or missing `dir` gives an empty set.
  static Result<std::shared_ptr<const StaticFiles>> Load(const std::string& dir);

  // The file's response, or nullptr when there is no such file.
  const Response* Find(std::string_view path) const;
  bool empty() const { return files_.empty(); }

 private:
  std::unordered_map<std::string, Response> files_;
};

// Headers for every dashboard page and asset.
void SetPageSecurityHeaders(Response& res);

}  // namespace gatehouse::http
