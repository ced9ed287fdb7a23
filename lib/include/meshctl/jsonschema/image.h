#pragma once

// A compiled schema as constant data: the form in which the build puts the ODCS and ODPS schemas inside
// the binary (lib/schemas/image.cpp writes it with image_source), so that checking a document starts
// without parsing or compiling any schema. Schema::load reads one. Everything in an image refers to the
// rest by offset, never by address, so that its arrays need no relocation when the program starts.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace meshctl::jsonschema {

class Schema;

using Index = std::uint32_t;
inline constexpr Index kNoSchema = std::numeric_limits<Index>::max();

// Image::text.substr(offset, size).
struct Text {
  std::uint32_t offset = 0;
  std::uint32_t size = 0;
};

// Elements [start, start + count) of one of Image's arrays.
struct Range {
  std::uint32_t start = 0;
  std::uint32_t count = 0;
};

struct Property {
  Text name;
  Index schema = kNoSchema;
};

// One subschema. Indexes point into Image::nodes (kNoSchema: the keyword is absent), or, for const_value,
// enum_values and pattern, into Image::values and Image::patterns.
struct SchemaNode {
  Text pointer{};                // "#/$defs/Team": where the subschema is in its document
  std::optional<bool> always{};  // a boolean schema: true accepts everything, false nothing
  std::uint8_t types = 0;        // bits of `type` (jsonschema/compiled.h); 0: no `type` keyword
  bool items_is_list = false;
  bool unique_items = false;
  Index ref = kNoSchema;
  Range properties{};  // in Image::properties
  Range required{};    // in Image::names
  Index additional_properties = kNoSchema;
  Index unevaluated_properties = kNoSchema;
  Index items = kNoSchema;  // items as one schema for every element
  Range item_list{};        // items as a list (in Image::indexes): one schema per position
  Index additional_items = kNoSchema;
  Range all_of{}, any_of{}, one_of{};  // in Image::indexes
  Index not_schema = kNoSchema, if_schema = kNoSchema, then_schema = kNoSchema, else_schema = kNoSchema;
  Index const_value = kNoSchema;
  Index enum_values = kNoSchema;  // a JSON list
  Index pattern = kNoSchema;
  std::optional<double> minimum{}, maximum{}, exclusive_minimum{}, exclusive_maximum{}, multiple_of{};
  std::optional<std::size_t> min_items{}, max_items{}, min_length{}, max_length{};
};

struct Image {
  std::span<const SchemaNode> nodes;  // nodes[0] is the root
  std::string_view text;              // every string of the image, one after the other
  std::span<const Index> indexes;     // the lists of subschemas
  std::span<const Property> properties;
  std::span<const Text> names;        // the names `required` lists
  std::span<const Text> values;       // the values of const and enum, as JSON
  std::span<const Text> patterns;     // RE2 expressions
  std::span<const Text> unsupported;  // Schema::unsupported_keywords()
};

// A C++ source that defines `constexpr meshctl::jsonschema::Image <symbol>` (in the current namespace; the
// arrays it views have internal linkage) holding `schema`. The source needs this header.
std::string image_source(const Schema& schema, std::string_view symbol);

}  // namespace meshctl::jsonschema
