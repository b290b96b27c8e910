#include "http/handlers/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gatehouse::http {
namespace {

std::string_view ContentType(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

void SetPageSecurityHeaders(Response& res) {
  res.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
}

Result<std::shared_ptr<const StaticFiles>> StaticFiles::Load(const std::string& dir) {
  auto files = std::make_shared<StaticFiles>();
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return files;
  const std::filesystem::path root = std::filesystem::canonical(dir, ec);
  if (ec) return Fail(Error::Server("cannot read web dir " + dir + ": " + ec.message()));
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    const std::string rel = "/" + std::filesystem::relative(it->path(), root).generic_string();
    Response res = MakeResponse(bhttp::status::ok, content.str(), ContentType(it->path()));
    SetPageSecurityHeaders(res);
    const bool hashed = rel.starts_with("/assets/");
    res.set(bhttp::field::cache_control,
            hashed ? "public, max-age=31536000, immutable" : "no-cache");
    files->files_.emplace(rel, std::move(res));
  }
  if (ec) return Fail(Error::Server("cannot read web dir " + dir + ": " + ec.message()));
  if (auto index = files->files_.find("/index.html"); index != files->files_.end()) {
    files->files_.emplace("/", index->second);
  }
  return std::shared_ptr<const StaticFiles>(std::move(files));
}

const Response* StaticFiles::Find(std::string_view path) const {
  auto it = files_.find(std::string(path));
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace gatehouse::http
