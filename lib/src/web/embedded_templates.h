#pragma once

// The files of lib/src/web/templates, compiled into the binary (lib/src/web/embed.cmake writes the definition).

#include <string_view>
#include <vector>

namespace meshctl::web {

struct EmbeddedFile {
  std::string_view name;  // "product.mustache"
  std::string_view text;
};

const std::vector<EmbeddedFile>& embedded_templates();

}  // namespace meshctl::web
