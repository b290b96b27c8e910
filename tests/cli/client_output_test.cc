#include "cli/client_output.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gatehouse::cli {
namespace {

namespace json = boost::json;

TEST(FormatCellTest, Values) {
  json::value v = json::parse(R"({"s":"x","n":3,"b":false,"z":null,"e":[],
      "names":[{"name":"development"},{"name":"production"}],
      "grants":[{"api":"https://a.test","scopes":["r","w"]}],
      "list":["a","b"],"multi":"line1\nline2"})");
  const json::object& o = v.as_object();
  EXPECT_EQ(FormatCell(o.if_contains("s")), "x");
  EXPECT_EQ(FormatCell(o.if_contains("n")), "3");
  EXPECT_EQ(FormatCell(o.if_contains("b")), "false");
  EXPECT_EQ(FormatCell(o.if_contains("z")), "-");
  EXPECT_EQ(FormatCell(o.if_contains("missing")), "-");
  EXPECT_EQ(FormatCell(o.if_contains("e")), "-");
  EXPECT_EQ(FormatCell(o.if_contains("names")), "development, production");
  EXPECT_EQ(FormatCell(o.if_contains("grants")), "https://a.test: r w");
  EXPECT_EQ(FormatCell(o.if_contains("list")), "a, b");
  EXPECT_EQ(FormatCell(o.if_contains("multi")), "line1 line2");
}

TEST(RenderTableTest, AlignsColumns) {
  json::array items = json::parse(R"([
      {"id":"p1","name":"Acme payments","environments":[{"name":"dev"}]},
      {"id":"project-22","name":"B","environments":[]}])")
                          .as_array();
  std::vector<Column> columns = {{"ID", "id"}, {"NAME", "name"}, {"ENVS", "environments"}};
  EXPECT_EQ(RenderTable(columns, items),
            "ID          NAME           ENVS\n"
            "p1          Acme payments  dev\n"
            "project-22  B              -\n");
  EXPECT_EQ(RenderTable(columns, json::array()), "ID  NAME  ENVS\n");
}

TEST(RenderTableTest, NestedKeys) {
  json::array items = json::parse(R"([{"credentials":{"client_id":"c1"}}])").as_array();
  EXPECT_EQ(RenderTable({{"CLIENT", "credentials.client_id"}}, items), "CLIENT\nc1\n");
}

TEST(RenderTableTest, StandardColumnsName) {
  for (const auto& columns : {ProjectColumns(), ApiColumns(), ClientColumns()}) {
    ASSERT_FALSE(columns.empty());
    EXPECT_EQ(columns[0].key, "id");
  }
}

TEST(RenderObjectTest, KeyValueLinesAndNestedTables) {
  json::value v = json::parse(R"({"id":"api_1","name":"Orders",
      "scopes":[{"name":"read:orders","description":"Read"},{"name":"w","description":""}],
      "token_lifetime":3600,
      "credentials":{"client_id":"cid","client_secret":"s3"}})");
  EXPECT_EQ(RenderObject(v.as_object()),
            "id:                        api_1\n"
            "name:                      Orders\n"
            "token_lifetime:            3600\n"
            "credentials.client_id:     cid\n"
            "credentials.client_secret: s3\n"
            "scopes:\n"
            "  name         description\n"
            "  read:orders  Read\n"
            "  w\n");
}

TEST(RenderObjectTest, EmptyValueHasNoTrailingSpace) {
  json::value v = json::parse(R"({"name":"n","description":""})");
  EXPECT_EQ(RenderObject(v.as_object()), "name:        n\ndescription:\n");
}

TEST(HasClientSecretTest, TopLevelOrUnderCredentials) {
  EXPECT_TRUE(HasClientSecret(json::parse(R"({"client_id":"c","client_secret":"s"})")));
  EXPECT_TRUE(HasClientSecret(json::parse(R"({"credentials":{"client_secret":"s"}})")));
  EXPECT_FALSE(HasClientSecret(json::parse(R"({"credentials":{"client_id":"c"}})")));
  EXPECT_FALSE(HasClientSecret(json::parse(R"({"client_id":"c"})")));
  EXPECT_FALSE(HasClientSecret(json::parse(R"([1])")));
  EXPECT_FALSE(HasClientSecret(json::value()));
}

}  // namespace
}  // namespace gatehouse::cli
