#pragma once

// A command's PRODUCT argument: a manifest file (- for standard input), or a registered
// DOMAIN/NAME[@VERSION] (the latest version by default). `meshctl test` and `meshctl export` take one.

#include <string>
#include <string_view>
#include <variant>

#include "context.h"
#include "meshctl/manifest/model.h"

namespace meshctl::cli {

// The manifest, or the exit code of why it could not be loaded (already reported).
using Loaded = std::variant<manifest::DataProduct, int>;

// `text` as one DataProduct, structurally sound (MESH-YAML-* and MESH-SCHEMA-* errors are printed as
// validate prints them, exit 1); the platform's standards are validate's business. `name` is the file's name
// in messages, `command` the command's ("cannot diff NAME"), `takes` what it does with a file of several
// products ("test takes one").
Loaded load_manifest_text(std::string text, const std::string& name, std::string_view command,
                          std::string_view takes, Context& context);

// A file wins over a registered product of the same spelling; - reads the manifest from standard input. A file must hold one DataProduct without
// structural errors (they are printed as validate prints them, exit 1); the platform's standards are
// validate's business. `command` names the command in messages ("cannot test orders.yaml").
Loaded load_product(const std::string& argument, std::string_view command, Context& context);

}  // namespace meshctl::cli
