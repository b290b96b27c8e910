#include "http/json_body.h"

#include <algorithm>

namespace gatehouse::http {
namespace {

Error WrongType(std::string_view key, std::string_view want) {
  return Error::InvalidRequest(std::string(key) + ": must be " + std::string(want),
                               std::string(key));
}

bool IsJsonContentType(std::string_view type) {
  auto semi = type.find(';');
  std::string_view media = type.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lowered(media);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered == "application/json";
}

}  // namespace

Result<boost::json::object> ParseJsonObject(const Request& req,
                                            std::initializer_list<std::string_view> allowed,
                                            bool empty_ok) {
  if (req.raw.body().empty() && empty_ok) return boost::json::object();
  if (!IsJsonContentType(req.Header(bhttp::field::content_type))) {
    return Fail(Error::Of(ErrorKind::kUnsupportedMediaType,
                          "the request body must be JSON (Content-Type: application/json)"));
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(req.raw.body(), ec);
  if (ec) {
    return Fail(Error::InvalidRequest("the request body is not valid JSON: " + ec.message()));
  }
  if (!value.is_object())
    return Fail(Error::InvalidRequest("the request body must be a JSON object"));
  for (const auto& member : value.as_object()) {
    if (std::find(allowed.begin(), allowed.end(), member.key()) == allowed.end()) {
      return Fail(Error::InvalidRequest(std::string(member.key()) + ": unknown field",
                                        std::string(member.key())));
    }
  }
  return std::move(value.as_object());
}

Result<std::optional<std::string>> GetString(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string()) return Fail(WrongType(key, "a string"));
  return std::optional<std::string>(std::string(it->value().as_string()));
}

Result<std::optional<int64_t>> GetInt(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) return std::optional<int64_t>();
  if (it->value().is_int64()) return std::optional<int64_t>(it->value().as_int64());
  if (it->value().is_uint64() && it->value().as_uint64() <= INT64_MAX) {
    return std::optional<int64_t>(static_cast<int64_t>(it->value().as_uint64()));
  }
  return Fail(WrongType(key, "an integer"));
}

Result<std::optional<bool>> GetBool(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) return std::optional<bool>();
  if (!it->value().is_bool()) return Fail(WrongType(key, "true or false"));
  return std::optional<bool>(it->value().as_bool());
}

Result<std::optional<std::vector<std::string>>> GetStringArray(const boost::json::object& obj,
                                                               std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) return std::optional<std::vector<std::string>>();
  if (!it->value().is_array()) return Fail(WrongType(key, "an array of strings"));
  std::vector<std::string> out;
  for (const auto& v : it->value().as_array()) {
    if (!v.is_string()) return Fail(WrongType(key, "an array of strings"));
    out.emplace_back(v.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

}  // namespace gatehouse::http
