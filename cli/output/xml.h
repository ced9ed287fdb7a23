#pragma once

#include <string>
#include <string_view>

namespace meshctl::cli {

// Escapes text for XML 1.0 element content, or for a double-quoted attribute value (`attribute`),
// where '"', line breaks and tabs are written as references so they survive attribute
// normalization. What XML 1.0 cannot carry at all (control characters, U+FFFE, U+FFFF, bytes
// that are not UTF-8) becomes U+FFFD, so the report always parses.
std::string xml_escape(std::string_view text, bool attribute);

}  // namespace meshctl::cli
