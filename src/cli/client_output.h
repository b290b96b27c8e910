#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::cli {

// One column of a list table: its header and the member of each item it shows. `key` may
// name a nested member with dots ("credentials.client_id").
struct Column {
  std::string header;
  std::string key;
};

// Columns for `projects list`, `apis list` and `clients list`.
std::vector<Column> ProjectColumns();
std::vector<Column> ApiColumns();
std::vector<Column> ClientColumns();

// A cell: strings as they are, null or missing as "-", arrays as a comma-separated list of
// their elements (an object element shows its "name", or a grant as "api: s1 s2").
std::string FormatCell(const boost::json::value* value);

// An aligned table (two spaces between columns), a header line first. Every line ends with
// '\n'. Items that are not objects show "-" in every column.
std::string RenderTable(const std::vector<Column>& columns, const boost::json::array& items);

// A single object as aligned "key: value" lines in the server's member order. Nested objects
// are flattened ("credentials.client_id"); arrays of objects become an indented table under
// their key; arrays of scalars a comma-separated list.
std::string RenderObject(const boost::json::object& object);

// True when `value` carries a client secret (a top-level "client_secret", or
// "credentials.client_secret" as in the API create answer).
bool HasClientSecret(const boost::json::value& value);

// Printed with any answer that carries a secret: the server never shows it again.
inline constexpr std::string_view kSecretNotice =
    "note: the client secret above is shown only once; store it now (it cannot be retrieved "
    "later, only rotated)";

}  // namespace gatehouse::cli
