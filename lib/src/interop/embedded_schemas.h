#pragma once

// The schema files of lib/schemas, compiled into the binary (embed.cmake writes the definition).

#include <string_view>
#include <vector>

namespace meshctl::interop {

struct EmbeddedFile {
  std::string_view name;  // "odcs-json-schema-v3.1.0.json"
  std::string_view text;
};

const std::vector<EmbeddedFile>& embedded_schemas();

}  // namespace meshctl::interop
