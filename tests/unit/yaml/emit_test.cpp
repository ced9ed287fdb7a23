#include "meshctl/yaml/emit.h"

#include <cstdint>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include "meshctl/yaml/loader.h"

using meshctl::yaml::Node;
using meshctl::yaml::NodeKind;
using meshctl::yaml::parse_yaml;
using meshctl::yaml::to_yaml;
using meshctl::yaml::yaml_string;
using nlohmann::json;

namespace {

json to_json(const Node& node) {
  switch (node.kind) {
    case NodeKind::null: return nullptr;
    case NodeKind::boolean: return node.as_bool();
    case NodeKind::integer:
      if (node.text.front() != '-' && node.text.size() >= 19) return std::stoull(node.text);
      return std::stoll(node.text);
    case NodeKind::floating: return node.as_double();
    case NodeKind::string: return node.text;
    case NodeKind::sequence: {
      json list = json::array();
      for (const auto& item : node.items) list.push_back(to_json(item));
      return list;
    }
    case NodeKind::mapping: {
      json object = json::object();
      for (const auto& entry : node.entries) object[entry.key] = to_json(entry.value);
      return object;
    }
  }
  return nullptr;
}

// `value` written by to_yaml, then read by meshctl's own loader.
json round_trip(const json& value) {
  const std::string text = to_yaml(value);
  INFO(text);
  const auto loaded = parse_yaml(text, "out.yaml");
  for (const auto& finding : loaded.diagnostics) {
    FAIL_CHECK(finding.position.line << ":" << finding.position.column << " " << finding.message);
  }
  REQUIRE(loaded.documents.size() == 1);
  return to_json(loaded.documents.front().root);
}

// Text that reads as something else when written plain, or that only double quotes can hold.
const std::vector<std::string> kTrickyStrings = {"",
                                                 " ",
                                                 "plain",
                                                 "true",
                                                 "True",
                                                 "FALSE",
                                                 "yes",
                                                 "No",
                                                 "on",
                                                 "OFF",
                                                 "y",
                                                 "n",
                                                 "null",
                                                 "Null",
                                                 "~",
                                                 "<<",
                                                 "=",
                                                 "12",
                                                 "-12",
                                                 "+12",
                                                 "012",
                                                 "0x1F",
                                                 "0o17",
                                                 "0b101",
                                                 "1_000",
                                                 "1.5",
                                                 "-.5",
                                                 ".5",
                                                 "1e3",
                                                 "1E-3",
                                                 ".inf",
                                                 "-.Inf",
                                                 ".nan",
                                                 "0.1.0",
                                                 "1.2.3-rc.1",
                                                 "12:30",
                                                 "190:20:30",
                                                 "2027-01-31",
                                                 "2025-01-01T00:00:00Z",
                                                 "2001-12-14 21:59:43.10 -5",
                                                 " leading",
                                                 "trailing ",
                                                 "a: b",
                                                 "a:b",
                                                 "a #b",
                                                 "a#b",
                                                 "#x",
                                                 "- x",
                                                 "-x",
                                                 "-",
                                                 "? x",
                                                 "?",
                                                 ":",
                                                 "[x]",
                                                 "{x}",
                                                 "x]",
                                                 "x,y",
                                                 ",x",
                                                 "@x",
                                                 "`x",
                                                 "!x",
                                                 "&x",
                                                 "*x",
                                                 "%x",
                                                 "|",
                                                 ">",
                                                 "'q'",
                                                 "\"dq\"",
                                                 "back\\slash",
                                                 "line1\nline2",
                                                 "trailing newline\n",
                                                 "\n",
                                                 "cr\rhere",
                                                 "tab\there",
                                                 "nul\0x",
                                                 "ctrl\x01\x1b[2J",
                                                 "del\x7f",
                                                 "nel\xc2\x85",
                                                 "nbsp\xc2\xa0",
                                                 "ls\xe2\x80\xa8ps\xe2\x80\xa9",
                                                 "bom\xef\xbb\xbf",
                                                 "\xef\xbb\xbf",
                                                 "Rücksendungen – 返品 😀",
                                                 "0.2.0 is the same data",
                                                 "http://example.com/a?b=c#d",
                                                 "s3://sales/orders/",
                                                 "--- ",
                                                 "...",
                                                 "---",
                                                 "x\n---\ny"};

}  // namespace

TEST_CASE("to_yaml writes what reads back as the same value", "[yaml][emit]") {
  SECTION("tricky strings, as values and as keys, at the top, in lists and in mappings") {
    for (const auto& text : kTrickyStrings) {
      INFO('"' << text << '"');
      CHECK(round_trip(json(text)) == json(text));
      const json value = {{"k", text}, {text, "v"}, {"list", json::array({text, json::array({text})})}};
      CHECK(round_trip(value) == value);
    }
  }
  SECTION("a long key") {
    const json value = {{std::string(2000, 'k'), 1}};
    CHECK(round_trip(value) == value);
  }
  SECTION("numbers, booleans and null") {
    const json value = {{"int", 42},
                        {"negative", -7},
                        {"big", std::numeric_limits<std::int64_t>::max()},
                        {"unsigned", std::numeric_limits<std::uint64_t>::max()},
                        {"float", 1.5},
                        {"small", 1e-300},
                        {"whole", 2.0},
                        {"true", true},
                        {"false", false},
                        {"null", nullptr}};
    CHECK(round_trip(value) == value);
  }
  SECTION("nested and empty collections") {
    const json value = {{"empty_map", json::object()},
                        {"empty_list", json::array()},
                        {"lists", json::array({json::array({1, 2}), json::array(), json::object(),
                                               json{{"a", 1}, {"b", json{{"c", json::array({1})}}}}})}};
    CHECK(round_trip(value) == value);
    CHECK(round_trip(json::object()) == json::object());
    CHECK(round_trip(json::array()) == json::array());
  }
}

TEST_CASE("to_yaml writes block style in the value's key order", "[yaml][emit]") {
  nlohmann::ordered_json value;
  value["name"] = "orders";
  value["fields"] = nlohmann::ordered_json::array({{{"name", "id"}, {"type", "string"}}});
  value["tags"] = nlohmann::ordered_json::array({"a", nlohmann::ordered_json::array({1, 2})});
  value["labels"] = nlohmann::ordered_json::object();
  value["version"] = "0.1.0";
  value["title"] = "Order lines: confirmed";
  value["sunset"] = nullptr;
  CHECK(to_yaml(value) ==
        "name: orders\n"
        "fields:\n"
        "  - name: id\n"
        "    type: string\n"
        "tags:\n"
        "  - a\n"
        "  -\n"
        "    - 1\n"
        "    - 2\n"
        "labels: {}\n"
        "version: \"0.1.0\"\n"
        "title: \"Order lines: confirmed\"\n"
        "sunset: null\n");
  CHECK(to_yaml(json::array({1e300, -2.5e-300, 1.5})) == "- 1.0e+300\n- -2.5e-300\n- 1.5\n");
  CHECK(to_yaml(json::array()) == "[]\n");
  CHECK(to_yaml(json("text")) == "text\n");
}

TEST_CASE("to_yaml writes a byte that is not UTF-8, and the non-characters U+FFFE and U+FFFF, as U+FFFD",
          "[yaml][emit]") {
  CHECK(to_yaml(json{{"k", "caf\xe9"}}) == "k: caf\xef\xbf\xbd\n");
  CHECK(to_yaml(json{{"k", "x\xef\xbf\xbe\xef\xbf\xbf"}}) == "k: \"x\xef\xbf\xbd\xef\xbf\xbd\"\n");
  CHECK(round_trip(json{{"k", "x\xef\xbf\xbe"}}) == json{{"k", "x\xef\xbf\xbd"}});
}

TEST_CASE("yaml_string quotes as to_yaml does", "[yaml][emit]") {
  CHECK(yaml_string("Order lines") == "Order lines");
  CHECK(yaml_string("sales-data@example.com") == "sales-data@example.com");
  CHECK(yaml_string("Order lines: confirmed") == "\"Order lines: confirmed\"");
  CHECK(yaml_string("yes") == "\"yes\"");
  CHECK(yaml_string("") == "\"\"");
}
