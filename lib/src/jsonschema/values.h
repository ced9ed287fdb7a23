#pragma once

// Comparing the values of a document with those of a schema (const, enum, uniqueItems).

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/yaml/node.h"

namespace meshctl::jsonschema {

// JSON equality: numbers by value (1 equals 1.0), mappings whatever their key order.
bool equals(const yaml::Node& value, const nlohmann::json& expected);

// The first element of `items` equal to an earlier one: {the earlier one's index, its index}.
// nullopt when every element is unique. Takes O(n log n), whatever the elements.
std::optional<std::pair<std::size_t, std::size_t>> first_duplicate(const std::vector<yaml::Node>& items);

}  // namespace meshctl::jsonschema
