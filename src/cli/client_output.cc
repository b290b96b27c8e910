#include "cli/client_output.h"

#include <algorithm>
#include <boost/json.hpp>

namespace gatehouse::cli {
namespace {

namespace json = boost::json;

const json::value* Lookup(const json::object& object, std::string_view dotted) {
  const json::object* current = &object;
  while (true) {
    std::size_t dot = dotted.find('.');
    const json::value* v = current->if_contains(dotted.substr(0, dot));
    if (v == nullptr || dot == std::string_view::npos) return v;
    current = v->if_object();
    if (current == nullptr) return nullptr;
    dotted.remove_prefix(dot + 1);
  }
}

std::string Scalar(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::null:
      return "-";
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    default:
      return json::serialize(v);
  }
}

std::string ArrayElement(const json::value& v) {
  const json::object* obj = v.if_object();
  if (obj == nullptr) return Scalar(v);
  if (const json::value* name = obj->if_contains("name")) return Scalar(*name);
  if (const json::value* api = obj->if_contains("api")) {  // a grant
    std::string out = Scalar(*api) + ":";
    if (const json::value* scopes = obj->if_contains("scopes"); scopes && scopes->is_array()) {
      for (const json::value& s : scopes->get_array()) out.append(" ").append(Scalar(s));
    }
    return out;
  }
  return json::serialize(v);
}

void AppendPadded(std::string& out, std::string_view text, std::size_t width) {
  out += text;
  out.append(width > text.size() ? width - text.size() : 0, ' ');
}

void AppendRows(std::string& out, const std::vector<std::vector<std::string>>& rows,
                std::string_view indent) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line(indent);
    for (std::size_t i = 0; i < row.size(); ++i) {
      AppendPadded(line, row[i], i + 1 == row.size() ? 0 : widths[i] + 2);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();  // empty last cells
    out += line + "\n";
  }
}

bool IsArrayOfObjects(const json::array& array) {
  return !array.empty() && std::all_of(array.begin(), array.end(),
                                       [](const json::value& v) { return v.is_object(); });
}

// Columns of a nested table: the members of the elements, in first-seen order.
std::vector<Column> NestedColumns(const json::array& array) {
  std::vector<Column> columns;
  for (const json::value& v : array) {
    for (const auto& member : v.get_object()) {
      std::string key(member.key());
      if (std::none_of(columns.begin(), columns.end(),
                       [&](const Column& c) { return c.key == key; })) {
        columns.push_back({key, key});
      }
    }
  }
  return columns;
}

void Flatten(const json::object& object, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& lines,
             std::vector<std::pair<std::string, const json::array*>>& tables) {
  for (const auto& member : object) {
    std::string key = prefix + std::string(member.key());
    const json::value& v = member.value();
    if (const json::object* nested = v.if_object()) {
      Flatten(*nested, key + ".", lines, tables);
    } else if (const json::array* array = v.if_array(); array && IsArrayOfObjects(*array)) {
      tables.emplace_back(key, array);
    } else {
      lines.emplace_back(key, FormatCell(&v));
    }
  }
}

}  // namespace

std::vector<Column> ProjectColumns() {
  return {{"ID", "id"},
          {"NAME", "name"},
          {"SLUG", "slug"},
          {"ENVIRONMENTS", "environments"},
          {"CREATED", "created_at"}};
}

std::vector<Column> ApiColumns() {
  return {{"ID", "id"},
          {"NAME", "name"},
          {"IDENTIFIER", "identifier"},
          {"SCOPES", "scopes"},
          {"LIFETIME", "token_lifetime"},
          {"ALG", "signing_alg"}};
}

std::vector<Column> ClientColumns() {
  return {{"ID", "id"},           {"CLIENT_ID", "client_id"},
          {"NAME", "name"},       {"AUTH_METHOD", "token_endpoint_auth_method"},
          {"ENABLED", "enabled"}, {"GRANTS", "grants"}};
}

std::string FormatCell(const json::value* value) {
  if (value == nullptr) return "-";
  if (const json::array* array = value->if_array()) {
    std::string out;
    for (const json::value& v : *array) {
      if (!out.empty()) out += ", ";
      out += ArrayElement(v);
    }
    return out.empty() ? "-" : out;
  }
  if (value->is_object()) return json::serialize(*value);
  std::string text = Scalar(*value);
  // One row per item: a newline in a name or description would break the table.
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

std::string RenderTable(const std::vector<Column>& columns, const json::array& items) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (const Column& c : columns) header.push_back(c.header);
  rows.push_back(std::move(header));
  for (const json::value& item : items) {
    std::vector<std::string> row;
    const json::object* obj = item.if_object();
    for (const Column& c : columns) row.push_back(obj ? FormatCell(Lookup(*obj, c.key)) : "-");
    rows.push_back(std::move(row));
  }
  std::string out;
  AppendRows(out, rows, "");
  return out;
}

std::string RenderObject(const json::object& object) {
  std::vector<std::pair<std::string, std::string>> lines;
  std::vector<std::pair<std::string, const json::array*>> tables;
  Flatten(object, "", lines, tables);
  std::size_t width = 0;
  for (const auto& [key, value] : lines) width = std::max(width, key.size());
  std::string out;
  for (const auto& [key, value] : lines) {
    AppendPadded(out, key + ":", value.empty() ? 0 : width + 2);
    out += value + "\n";
  }
  for (const auto& [key, array] : tables) {
    out += key + ":\n";
    std::vector<Column> columns = NestedColumns(*array);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header;
    for (const Column& c : columns) header.push_back(c.header);
    rows.push_back(std::move(header));
    for (const json::value& item : *array) {
      std::vector<std::string> row;
      for (const Column& c : columns) row.push_back(FormatCell(Lookup(item.get_object(), c.key)));
      rows.push_back(std::move(row));
    }
    AppendRows(out, rows, "  ");
  }
  return out;
}

bool HasClientSecret(const json::value& value) {
  const json::object* obj = value.if_object();
  if (obj == nullptr) return false;
  if (obj->contains("client_secret")) return true;
  const json::value* secret = Lookup(*obj, "credentials.client_secret");
  return secret != nullptr && !secret->is_null();
}

}  // namespace gatehouse::cli
