#pragma once

#include <nlohmann/json.hpp>

#include "meshctl/yaml/node.h"

namespace meshctl::yaml {

// The JSON value of a positioned tree, by the YAML 1.2 core schema: `2024-01-01` stays a string,
// integers stay integers (an integer beyond int64 becomes a float), null stays null, mappings keep
// their source order. JSON has no infinity or NaN: such a float keeps its spelling as a string.
nlohmann::ordered_json to_json(const Node& node);

}  // namespace meshctl::yaml
