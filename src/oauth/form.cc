#include "oauth/form.h"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/pct_string_view.hpp>

namespace gatehouse::oauth {
namespace {

std::optional<std::string> Decode(std::string_view text) {
  auto pct = boost::urls::make_pct_string_view(text);
  if (!pct) return std::nullopt;
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  return pct->decode(opts);
}

}  // namespace

Result<Form> Form::Parse(std::string_view body) {
  Form form;
  while (!body.empty()) {
    const auto amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = Decode(pair.substr(0, eq));
    auto value = Decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!key || !value) {
      return Fail(Error::Of(ErrorKind::kInvalidRequest, "malformed form encoding"));
    }
    form.params_.emplace_back(std::move(*key), std::move(*value));
  }
  return form;
}

std::optional<std::string_view> Form::Get(std::string_view name) const {
  for (const auto& [key, value] : params_) {
    if (key == name) return value.empty() ? std::nullopt : std::optional<std::string_view>(value);
  }
  return std::nullopt;
}

int Form::Count(std::string_view name) const {
  int n = 0;
  for (const auto& [key, value] : params_) n += key == name && !value.empty() ? 1 : 0;
  return n;
}

Status Form::RejectDuplicates(std::initializer_list<std::string_view> names) const {
  for (auto name : names) {
    if (Count(name) > 1) {
      return Fail(
          Error::Of(ErrorKind::kInvalidRequest, "parameter " + std::string(name) + " is repeated"));
    }
  }
  return {};
}

}  // namespace gatehouse::oauth
