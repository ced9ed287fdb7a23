#pragma once

// A data product's output ports in the formats of the tools around it: a JSON Schema (draft-07) of each
// port's records, an Avro record schema, a CREATE TABLE (PostgreSQL or SQLite), a Markdown page of the
// whole product, and the open standards: an ODCS v3.1.0 contract per output port, or an ODPS v1.0.0
// product with those contracts (interop/convert.h: lossless, unlike the others). What each format cannot say is said where the format allows (a description, a comment), or
// nowhere: the manifest stays the source of truth, and these are read-only derivatives of it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meshctl/core/error.h"
#include "meshctl/manifest/model.h"

namespace meshctl::exporters {

enum class Format { jsonschema, avro, sql, markdown, odcs, odps };
enum class SqlDialect { postgresql, sqlite };

struct Options {
  Format format = Format::jsonschema;
  std::optional<std::string> port;  // only this output port (every port by default)
  SqlDialect dialect = SqlDialect::postgresql;
};

// "jsonschema", "avro", "sql", "markdown", "odcs", "odps".
std::optional<Format> parse_format(std::string_view name);
std::optional<SqlDialect> parse_dialect(std::string_view name);
const std::vector<std::string_view>& format_names();

// The exported text, ending with a newline (odcs and odps: YAML documents separated by `---`; odps does
// not take Options::port, ErrorKind::invalid). ErrorKind::not_found when Options::port names no output port;
// ErrorKind::invalid when the product has nothing to export (no output port with a schema, for the schema
// formats) or holds what the format cannot express (a field type it has no counterpart for; a name that is
// not an Avro name), with the port and field in the message.
Result<std::string> export_product(const manifest::DataProduct& product, const Options& options);

}  // namespace meshctl::exporters
