#pragma once

// One function per format; export.cpp picks the ports and calls them.

#include <optional>
#include <string>
#include <vector>

#include "meshctl/core/error.h"
#include "meshctl/exporters/export.h"
#include "meshctl/manifest/model.h"

namespace meshctl::exporters {

// The ports to export, each with a schema (the caller checked).
using Ports = std::vector<const manifest::OutputPort*>;

Result<std::string> to_json_schema(const manifest::DataProduct& product, const Ports& ports);
Result<std::string> to_avro(const manifest::DataProduct& product, const Ports& ports);
Result<std::string> to_sql(const manifest::DataProduct& product, const Ports& ports, SqlDialect dialect);
std::string to_markdown(const manifest::DataProduct& product, const Ports& ports);
// open_standards.cpp: every port's contract (or `port`'s), or the ODPS product with them.
Result<std::string> to_odcs(const manifest::DataProduct& product, const std::optional<std::string>& port);
Result<std::string> to_odps(const manifest::DataProduct& product, const std::optional<std::string>& port);

// "field 'a.b' of output port 'p'": where a problem is, for messages.
std::string field_place(const manifest::OutputPort& port, const std::string& path);

// The scalar as JSON (an enum value).
nlohmann::ordered_json scalar_json(const manifest::Scalar& value);

// The field types every machine format maps (the built-in standard's `types`).
bool is_exportable_type(const std::string& type);
Error unknown_type(const manifest::OutputPort& port, const std::string& path, const std::string& type,
                   std::string_view format);

}  // namespace meshctl::exporters
