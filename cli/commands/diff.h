#pragma once

#include <CLI/CLI.hpp>

#include "context.h"
#include "meshctl/core/error.h"
#include "meshctl/manifest/model.h"
#include "meshctl/registry/types.h"

namespace meshctl::cli {

void register_diff(CLI::App& app, Context& context);

// The manifest a registered version was published with (also what `changelog` compares).
// Fails with ErrorKind::unavailable when the stored text is not a DataProduct's canonical JSON.
Result<manifest::DataProduct> registered_manifest(const registry::VersionRecord& version);

}  // namespace meshctl::cli
