#pragma once

// The schema files of lib/schemas, compiled by the build into constant data (lib/schemas/image.cpp writes
// the definition).

#include <span>
#include <string_view>

#include "meshctl/jsonschema/image.h"

namespace meshctl::interop {

struct EmbeddedSchema {
  std::string_view name;  // "odcs-json-schema-v3.1.0.json"
  jsonschema::Image image;
};

std::span<const EmbeddedSchema> embedded_schemas();

}  // namespace meshctl::interop
