#include "commands/export.h"

#include <fmt/format.h>

#include "meshctl/exporters/export.h"
#include "product_argument.h"

namespace meshctl::cli {

namespace {

struct ExportOptions {
  std::string product;  // a manifest file, or DOMAIN/NAME[@VERSION]
  std::string format;
  std::string port;
  std::string dialect = "postgresql";
};

int run_export(const ExportOptions& options, Context& context) {
  Loaded loaded = load_product(options.product, "export", context);
  if (const auto* code = std::get_if<int>(&loaded)) return *code;
  exporters::Options lib_options;
  lib_options.format = *exporters::parse_format(options.format);  // CLI11 checked it
  lib_options.dialect = *exporters::parse_dialect(options.dialect);
  if (!options.port.empty()) lib_options.port = options.port;
  auto text = exporters::export_product(std::get<manifest::DataProduct>(loaded), lib_options);
  if (!text) return report_error(context, text.error());
  *context.out << *text;
  return 0;
}

}  // namespace

void register_export(CLI::App& app, Context& context) {
  auto options = std::make_shared<ExportOptions>();
  auto* command = app.add_subcommand("export", "Write a product's schema for the tools around it");
  command->footer(R"(PRODUCT is a manifest file (- for standard input), or a registered DOMAIN/NAME[@VERSION]
(the latest version by default) read from the registry. The result goes to standard output:
  jsonschema  a JSON Schema (draft-07) of each output port's records: types, required
              fields, enums, formats of dates and timestamps; a field that is not
              required may be null. One port: its schema; several: one definition
              each under `definitions`, and a record of any of them is valid.
  avro        an Avro record schema per port (a union of them for several ports);
              nested objects are records, optional fields ["null", T] with default
              null, decimals strings (exact), dates and timestamps logical types.
              PII, classification, term and uniqueness go in each field's `meshctl`
              attribute. Field names must be Avro names.
  sql         CREATE TABLE per port, named after it, for --dialect postgresql (the
              default: descriptions as COMMENT ON) or sqlite (as -- comments):
              NOT NULL, UNIQUE and enums as CHECK; objects and arrays of records
              are one JSON column (jsonb; TEXT checked by json_valid in SQLite).
  markdown    a page for people: owner, description, tags, ports with their fields
              (PII flagged), service levels and quality rules.
  odcs        an ODCS v3.1.0 data contract per output port (--port: that port's),
              YAML documents separated by ---; each validates against the ODCS schema.
  odps        an ODPS v1.0.0 product followed by the contract of each output port.
What the first four formats have no place for is left out; the manifest stays the source
of truth. odcs and odps lose nothing: what they have no field for travels in their
customProperties (meshctl.patch), as `meshctl convert` writes them.
Exit codes: 0 written, 1 the manifest file has errors, 2 a usage error, or the product
holds what the format cannot say (a field type it has no counterpart for, a name Avro
refuses), 3 no such product or port, 6 the registry is unavailable.

Examples:
  meshctl export examples/products/sales/orders.yaml --format jsonschema > orders.schema.json
  meshctl export sales/orders@1.2.0 --format avro --port orders-table
  meshctl export sales/orders --format sql --dialect sqlite | sqlite3 warehouse.db
  meshctl export sales/orders --format markdown > docs/orders.md
  meshctl export sales/orders --format odps > orders.odps.yaml
  git show HEAD:orders.yaml | meshctl export - --format jsonschema)");
  command->add_option("product", options->product, "Manifest file (- for stdin), or DOMAIN/NAME[@VERSION] of a registered product")
      ->required();
  command->add_option("--format", options->format, "jsonschema, avro, sql, markdown, odcs or odps")
      ->required()
      ->check(CLI::IsMember({"jsonschema", "avro", "sql", "markdown", "odcs", "odps"}));
  command->add_option("--port", options->port, "Export this output port only")->type_name("NAME");
  command->add_option("--dialect", options->dialect, "SQL dialect of --format sql")
      ->check(CLI::IsMember({"postgresql", "sqlite"}))
      ->default_str("postgresql");
  command->callback([options, &context] { context.exit_code = run_export(*options, context); });
}

}  // namespace meshctl::cli
