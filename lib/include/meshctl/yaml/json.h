#pragma once

#include <nlohmann/json.hpp>

#include "meshctl/yaml/node.h"

namespace meshctl::yaml {

// The JSON value of a positioned tree, by the YAML 1.2 core schema: `2024-01-01` stays a string,
// integers stay integers (an integer beyond int64 becomes a float), null stays null, mappings keep
// their source order. JSON has no infinity or NaN: such a float keeps its spelling as a string.
nlohmann::ordered_json to_json(const Node& node);

// The same value with its keys sorted (nlohmann::json), built directly rather than converted from
// to_json's: the form the open-standard converters and JSON Patch work on.
nlohmann::json to_sorted_json(const Node& node);

// The tree that reading `value`'s JSON text would give, without the text: scalars spelled as JSON writes
// them (numbers resolved by the core schema as the loader does), mappings in the value's key order. Every
// position is 0:0: for checks of a value that has no source file (the registry's canonical manifest).
Node to_node(const nlohmann::json& value);

}  // namespace meshctl::yaml
