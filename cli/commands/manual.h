#pragma once

#include <string>

#include "context.h"

namespace meshctl::cli {
// `meshctl __manual FOLDER`, which the build runs: writes meshctl.1 and one page per command
// (meshctl-validate.1, meshctl-get-products.1...) from the commands' own definitions.
int write_manual_pages(const std::string& folder, Context& context);
}  // namespace meshctl::cli
