#include "commands/schema.h"

#include "meshctl/core/json_text.h"
#include "meshctl/manifest/shape.h"

namespace meshctl::cli {

namespace {

// The schema is JSON whatever -o says: it is a JSON Schema document, for editors and validators.
int run_schema(Context& context) {
  *context.out << json_text(manifest::manifest_json_schema(), 2) << '\n';
  return 0;
}

}  // namespace

void register_schema(CLI::App& app, Context& context) {
  auto* command = app.add_subcommand("schema", "Print the JSON Schema (draft 2020-12) of the manifest format");
  command->footer(R"(The schema describes the structure meshctl checks (types, required keys, unknown
keys); the platform's standards (`meshctl standards list`) are checked by `validate` only.

Examples:
  meshctl schema > meshctl-manifest.schema.json
  # VS Code (YAML extension): in settings.json
  #   "yaml.schemas": { "./meshctl-manifest.schema.json": ["products/*.yaml"] })");
  command->callback([&context] { context.exit_code = run_schema(context); });
}

}  // namespace meshctl::cli
