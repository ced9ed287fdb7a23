#pragma once

// The compiled form of a schema, shared by compile.cpp and check.cpp.

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "meshctl/jsonschema/schema.h"

namespace meshctl::jsonschema {

using Index = std::uint32_t;
inline constexpr Index kNoSchema = std::numeric_limits<Index>::max();

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

// One subschema. Keyword values that stay JSON (const, enum) point into Compiled::document.
struct SchemaNode {
  std::string pointer;         // "#/$defs/Team": where the subschema is in its document
  std::optional<bool> always;  // a boolean schema: true accepts everything, false nothing
  std::uint8_t types = 0;      // 0: no `type` keyword
  Index ref = kNoSchema;
  std::vector<std::pair<std::string, Index>> properties;
  std::vector<std::string> required;
  Index additional_properties = kNoSchema;
  Index unevaluated_properties = kNoSchema;
  Index items = kNoSchema;       // items as one schema for every element
  std::vector<Index> item_list;  // items as a list: one schema per position
  bool items_is_list = false;
  Index additional_items = kNoSchema;
  std::vector<Index> all_of, any_of, one_of;
  Index not_schema = kNoSchema, if_schema = kNoSchema, then_schema = kNoSchema, else_schema = kNoSchema;
  const nlohmann::json* const_value = nullptr;
  const nlohmann::json* enum_values = nullptr;  // an array
  std::shared_ptr<const RE2> pattern;
  std::optional<double> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;
  std::optional<std::size_t> min_items, max_items, min_length, max_length;
  bool unique_items = false;
};

struct Compiled {
  nlohmann::json document;        // the schema as given; SchemaNode pointers point into it
  std::vector<SchemaNode> nodes;  // nodes[0] is the root
  std::vector<std::string> unsupported;
  Limits limits;
};

// "a string", "a list", "an integer": how messages name a `type` bit.
const char* type_phrase(TypeBit bit);

}  // namespace meshctl::jsonschema
