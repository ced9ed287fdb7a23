#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace meshctl::yaml {

// What the first document of a file says it is, read without building it.
struct DocumentHeader {
  std::optional<std::string> api_version;  // its top-level `apiVersion` when that is a scalar
  std::optional<std::string> kind;         // its top-level `kind` when that is a scalar
  // The text ended in malformed YAML before both keys were read: the header may be incomplete.
  bool malformed = false;
};

// Reads the top-level `apiVersion` and `kind` of the first document of `text` from the parser's
// events, stopping once both are read or the document's top-level mapping ends: nested values are
// skipped, not built, so a manifest that starts with them costs a few events. A first document that
// is no mapping has neither.
DocumentHeader peek_header(std::string_view text);

}  // namespace meshctl::yaml
