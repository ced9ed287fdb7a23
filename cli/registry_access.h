#pragma once

#include <memory>

#include "context.h"
#include "meshctl/registry/registry.h"

namespace meshctl::cli {

// Opens the registry the user chose (--registry, MESHCTL_REGISTRY, the current
// context, else the embedded default), creating the embedded registry's folder.
Result<std::unique_ptr<registry::Registry>> open_registry(const Context& context);

}  // namespace meshctl::cli
