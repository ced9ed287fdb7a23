#pragma once

// The compiled form of a schema, shared by compile.cpp and check.cpp.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "meshctl/jsonschema/image.h"
#include "meshctl/jsonschema/schema.h"

namespace meshctl::jsonschema {

// The bits of the `type` keyword. `integer` is a number with no fractional part.
enum TypeBit : std::uint8_t {
  kNull = 1,
  kBoolean = 2,
  kInteger = 4,
  kNumber = 8,
  kString = 16,
  kArray = 32,
  kObject = 64,
};

// A schema ready to check documents: compiled at run time (Schema::compile), whose image views the storage
// below, or loaded from an image in the binary (Schema::load), whose arrays are constant data.
struct Compiled {
  Image image;
  std::vector<nlohmann::json> values;                // Image::values, parsed
  std::vector<std::unique_ptr<const RE2>> patterns;  // Image::patterns, compiled
  std::vector<std::string> unsupported;
  Limits limits;

  std::string_view text(Text at) const { return image.text.substr(at.offset, at.size); }
  std::span<const Index> indexes(Range range) const { return image.indexes.subspan(range.start, range.count); }
  std::span<const Property> properties(Range range) const { return image.properties.subspan(range.start, range.count); }
  std::span<const Text> names(Range range) const { return image.names.subspan(range.start, range.count); }

  // What the image of a schema compiled at run time views (the document it came from is not kept).
  std::string own_text;
  std::vector<SchemaNode> own_nodes;
  std::vector<Index> own_indexes;
  std::vector<Property> own_properties;
  std::vector<Text> own_names, own_values, own_patterns, own_unsupported;
};

// "a string", "a list", "an integer": how messages name a `type` bit.
const char* type_phrase(TypeBit bit);

}  // namespace meshctl::jsonschema
