#include "domain/validation.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace gatehouse::domain {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Counts UTF-8 code points; false when the bytes are not valid UTF-8.
bool Utf8Length(std::string_view s, std::size_t* count) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
    ++n;
  }
  *count = n;
  return true;
}

Error Invalid(std::string_view field, std::string message) {
  return Error::InvalidRequest(std::string(field) + ": " + message, std::string(field));
}

Result<std::string> ValidateText(std::string_view value, std::string_view field, std::size_t min,
                                 std::size_t max, bool multiline) {
  std::size_t length = 0;
  if (!Utf8Length(value, &length)) return Fail(Invalid(field, "must be valid UTF-8"));
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    const bool allowed_ws = multiline && (c == '\n' || c == '\t' || c == '\r');
    if ((c < 0x20 || c == 0x7F) && !allowed_ws) {
      return Fail(Invalid(field, "must not contain control characters"));
    }
  }
  if (length < min || length > max) {
    return Fail(Invalid(
        field, "must be " + std::to_string(min) + " to " + std::to_string(max) + " characters"));
  }
  return std::string(value);
}

}  // namespace

Result<std::string> ValidateName(std::string_view value, std::string_view field) {
  return ValidateText(Trim(value), field, 1, 100, false);
}

Result<std::string> ValidateDescription(std::string_view value, std::string_view field) {
  return ValidateText(value, field, 0, 1000, true);
}

Result<std::string> NormalizeEmail(std::string_view value, std::string_view field) {
  std::string email(Trim(value));
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = email.find('@');
  const bool shape_ok = email.size() <= 254 && at != std::string::npos && at > 0 &&
                        at == email.rfind('@') && at <= 64;
  if (!shape_ok) return Fail(Invalid(field, "must be an email address like name@example.com"));
  const std::string_view domain = std::string_view(email).substr(at + 1);
  const auto dot = domain.rfind('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size() ||
      domain.find("..") != std::string_view::npos) {
    return Fail(Invalid(field, "must be an email address like name@example.com"));
  }
  for (char ch : email) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') {
      return Fail(Invalid(field, "must be an email address like name@example.com"));
    }
  }
  return email;
}

Status ValidatePassword(std::string_view password, std::string_view normalized_email,
                        std::string_view field) {
  std::size_t length = 0;
  if (!Utf8Length(password, &length)) return Fail(Invalid(field, "must be valid UTF-8"));
  if (length < 12) return Fail(Invalid(field, "must be at least 12 characters"));
  if (password.size() > 1024) return Fail(Invalid(field, "must be at most 1024 bytes"));
  std::string lowered(password);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lowered == normalized_email) return Fail(Invalid(field, "must not be the email address"));
  return {};
}

Status ValidateScopeName(std::string_view value, std::string_view field) {
  if (value.empty() || value.size() > 200) {
    return Fail(Invalid(field, "must be 1 to 200 characters"));
  }
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
      return Fail(Invalid(field,
                          "scope names are printable ASCII without spaces, '\"' or '\\' "
                          "(RFC 6749 section 3.3)"));
    }
  }
  return {};
}

Status ValidateApiIdentifier(std::string_view value, std::string_view field) {
  if (value.empty() || value.size() > 300) {
    return Fail(Invalid(field, "must be 1 to 300 characters"));
  }
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x21 || c > 0x7E) {
      return Fail(Invalid(field, "must be printable ASCII without spaces (usually a URL)"));
    }
  }
  return {};
}

Status ValidateSigningAlg(std::string_view value, std::string_view field) {
  constexpr std::array<std::string_view, 4> kAlgs = {"ES256", "EdDSA", "RS256", "PS256"};
  if (std::find(kAlgs.begin(), kAlgs.end(), value) == kAlgs.end()) {
    return Fail(Invalid(field, "must be one of ES256, EdDSA, RS256, PS256"));
  }
  return {};
}

Status ValidateAuthMethod(std::string_view value, std::string_view field) {
  if (value != "client_secret_basic" && value != "client_secret_post") {
    return Fail(Invalid(field, "must be client_secret_basic or client_secret_post"));
  }
  return {};
}

std::string Slugify(std::string_view name) {
  std::string slug;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) && c < 0x80) {
      slug.push_back(static_cast<char>(std::tolower(c)));
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
    if (slug.size() >= 48) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "x" : slug;
}

}  // namespace gatehouse::domain
