// Build tool: writes a JSON Schema without its annotations (titles, descriptions, examples, defaults,
// comments), minified. They make up most of the ODCS and ODPS schemas' bytes and change no verdict, and
// parsing them was half of what validating one document cost; the binary embeds what this writes.
//
//   meshctl_schema_compact IN.json OUT.json

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string_view>

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

bool is_annotation(std::string_view key) {
  static constexpr std::string_view kAnnotations[] = {"title",    "description", "examples", "default",
                                                      "$comment", "deprecated",  "readOnly", "writeOnly"};
  return std::find(std::begin(kAnnotations), std::end(kAnnotations), key) != std::end(kAnnotations);
}

// Keywords whose value is data, not schemas: kept as they are.
bool is_data(std::string_view key) {
  return key == "enum" || key == "const" || key == "required" || key == "type" || key == "pattern" || key == "format" ||
         key == "$ref" || key == "$schema" || key == "$id";
}

// Keywords whose value maps names to schemas: the names stay whatever they are ("description" is a
// property name too).
bool is_schema_map(std::string_view key) {
  return key == "properties" || key == "$defs" || key == "definitions" || key == "patternProperties" ||
         key == "dependentSchemas";
}

void strip(json& schema);

void strip_each(json& value) {
  if (value.is_array()) {
    for (auto& item : value) strip(item);
  } else {
    strip(value);
  }
}

// Strips a schema, or an object that holds schemas under names of its own (such as ODCS's
// $defs/ServerSource, which $refs reach into).
void strip(json& schema) {
  if (!schema.is_object()) return;
  for (auto it = schema.begin(); it != schema.end();) {
    const std::string key = it.key();
    if (is_annotation(key) && !it.value().is_object()) {
      it = schema.erase(it);
      continue;
    }
    if (is_annotation(key) && key != "title" && key != "description") {
      it = schema.erase(it);  // an example or default that is an object
      continue;
    }
    if (is_schema_map(key) && it.value().is_object()) {
      for (auto& member : it.value()) strip(member);
    } else if (!is_data(key)) {
      strip_each(it.value());
    }
    ++it;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: meshctl_schema_compact IN.json OUT.json\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  auto schema = json::parse(in, nullptr, false);
  if (schema.is_discarded()) {
    std::cerr << argv[1] << ": not JSON\n";
    return 1;
  }
  strip(schema);
  std::ofstream out(argv[2], std::ios::binary);
  out << schema.dump();
  return out.good() ? 0 : 1;
}
