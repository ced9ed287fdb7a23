#include "meshctl/exporters/export.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "exporters/formats.h"

namespace meshctl::exporters {

namespace {

constexpr std::array<std::string_view, 12> kTypes = {"string", "integer", "long",      "float", "double", "decimal",
                                                     "boolean", "date",   "timestamp", "bytes", "array",  "object"};

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "jsonschema") return Format::jsonschema;
  if (name == "avro") return Format::avro;
  if (name == "sql") return Format::sql;
  if (name == "markdown") return Format::markdown;
  if (name == "odcs") return Format::odcs;
  if (name == "odps") return Format::odps;
  return std::nullopt;
}

std::optional<SqlDialect> parse_dialect(std::string_view name) {
  if (name == "postgresql") return SqlDialect::postgresql;
  if (name == "sqlite") return SqlDialect::sqlite;
  return std::nullopt;
}

const std::vector<std::string_view>& format_names() {
  static const std::vector<std::string_view> names = {"jsonschema", "avro", "sql", "markdown", "odcs", "odps"};
  return names;
}

std::string field_place(const manifest::OutputPort& port, const std::string& path) {
  return fmt::format("field '{}' of output port '{}'", path, port.name.value_or(""));
}

nlohmann::ordered_json scalar_json(const manifest::Scalar& value) {
  return std::visit([](const auto& held) { return nlohmann::ordered_json(held); }, value);
}

bool is_exportable_type(const std::string& type) {
  return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

Error unknown_type(const manifest::OutputPort& port, const std::string& path, const std::string& type,
                   std::string_view format) {
  return make_error(ErrorKind::invalid,
                    fmt::format("{} has type '{}', which has no {} counterpart: export maps {}",
                                field_place(port, path), type, format, fmt::join(kTypes, ", ")));
}

Result<std::string> export_product(const manifest::DataProduct& product, const Options& options) {
  Ports ports;
  for (const auto& port : product.spec.output_ports) {
    if (options.port && port.name != options.port) continue;
    ports.push_back(&port);
  }
  if (options.port && ports.empty()) {
    std::vector<std::string> names;
    for (const auto& port : product.spec.output_ports) names.push_back(port.name.value_or(""));
    return make_error(ErrorKind::not_found,
                      fmt::format("{} has no output port '{}': its ports are {}", product.id(), *options.port,
                                  names.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(names, ", "))));
  }
  if (options.format == Format::markdown) return to_markdown(product, ports);
  if (options.format == Format::odcs) return to_odcs(product, options.port);
  if (options.format == Format::odps) return to_odps(product, options.port);

  std::erase_if(ports, [](const manifest::OutputPort* port) { return !port->schema || port->schema->fields.empty(); });
  if (ports.empty()) {
    return make_error(ErrorKind::invalid,
                      options.port ? fmt::format("output port '{}' of {} declares no schema fields: nothing to "
                                                 "export",
                                                 *options.port, product.id())
                                   : fmt::format("{} has no output port with schema fields: nothing to export",
                                                 product.id()));
  }
  switch (options.format) {
    case Format::jsonschema: return to_json_schema(product, ports);
    case Format::avro: return to_avro(product, ports);
    case Format::sql: return to_sql(product, ports, options.dialect);
    case Format::markdown:
    case Format::odcs:
    case Format::odps: break;
  }
  return to_markdown(product, ports);
}

}  // namespace meshctl::exporters
