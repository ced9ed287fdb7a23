// Output ports as Avro record schemas (Avro 1.11 specification): one record per port, nested records for
// objects; what Avro has no type for is kept as an extra attribute `meshctl` of the field (the specification
// permits attributes it does not define, as metadata).

#include <set>

#include <fmt/format.h>

#include "exporters/formats.h"
#include "meshctl/core/json_text.h"

namespace meshctl::exporters {

namespace {

using Json = nlohmann::ordered_json;

bool is_avro_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// A kebab-case or dotted name as an Avro name: other characters become '_', a leading digit gets one before.
std::string avro_name(std::string_view text) {
  std::string name;
  for (char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    name += keep ? c : '_';
  }
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) name = "_" + name;
  return name;
}

class Writer {
 public:
  // Named types are unique across the whole schema, every port's records included.
  void set_port(const manifest::OutputPort& port) { port_ = &port; }

  Result<Json> record(const std::string& name, const std::vector<manifest::Field>& fields, const std::string& prefix) {
    Json record = {{"type", "record"}, {"name", unique_name(name)}};
    Json members = Json::array();
    for (const auto& field : fields) {
      const auto field_name = field.name.value_or("");
      const auto path = prefix + field_name;
      if (!is_avro_name(field_name)) {
        return make_error(ErrorKind::invalid,
                          fmt::format("{}: '{}' is not an Avro name (a letter or _, then letters, digits and _): "
                                      "rename the field, or export another format",
                                      field_place(*port_, path), field_name));
      }
      auto type = field_type(field, path);
      if (!type) return type.error();
      Json member = {{"name", field_name}};
      if (field.description) member["doc"] = *field.description;
      const bool nullable = !field.required.value_or(false);
      if (nullable) {
        member["type"] = Json::array({"null", std::move(*type)});
        member["default"] = nullptr;
      } else {
        member["type"] = std::move(*type);
      }
      if (auto extra = metadata(field); !extra.empty()) member["meshctl"] = std::move(extra);
      members.push_back(std::move(member));
    }
    record["fields"] = std::move(members);
    return record;
  }

 private:
  // Named types must be unique in a schema: a nested record or enum takes its path.
  std::string unique_name(const std::string& wanted) {
    auto name = wanted;
    for (int n = 2; !names_.insert(name).second; ++n) name = fmt::format("{}_{}", wanted, n);
    return name;
  }

  Result<Json> scalar(const std::string& type, const std::string& path) {
    if (type == "string" || type == "decimal") return Json("string");  // decimal: exact as text
    if (type == "integer") return Json("int");
    if (type == "long") return Json("long");
    if (type == "float") return Json("float");
    if (type == "double") return Json("double");
    if (type == "boolean") return Json("boolean");
    if (type == "bytes") return Json("bytes");
    if (type == "date") return Json{{"type", "int"}, {"logicalType", "date"}};
    if (type == "timestamp") return Json{{"type", "long"}, {"logicalType", "timestamp-micros"}};
    return unknown_type(*port_, path, type, "Avro");
  }

  Result<Json> field_type(const manifest::Field& field, const std::string& path) {
    const auto type = field.type.value_or("string");
    if (!is_exportable_type(type)) return unknown_type(*port_, path, type, "Avro");
    if (type == "object") return record(avro_name(path), field.fields, path + ".");
    if (type == "array") {
      Result<Json> items = make_error(ErrorKind::invalid, "");
      if (!field.fields.empty()) {
        items = record(avro_name(path + "_item"), field.fields, path + "[].");
      } else if (field.items && *field.items != "array" && *field.items != "object") {
        items = scalar(*field.items, path + "[]");
      } else {
        return make_error(ErrorKind::invalid,
                          fmt::format("{} is an array whose items Avro cannot type: declare items: with a scalar "
                                      "type, or fields: for an array of records",
                                      field_place(*port_, path)));
      }
      if (!items) return items.error();
      return Json{{"type", "array"}, {"items", std::move(*items)}};
    }
    if (!field.enum_values.empty() && type == "string") {
      Json symbols = Json::array();
      std::set<std::string> seen;
      bool symbolic = true;
      for (const auto& value : field.enum_values) {
        const auto* text = std::get_if<std::string>(&value);
        symbolic = symbolic && text != nullptr && is_avro_name(*text) && seen.insert(*text).second;
        if (symbolic) symbols.push_back(*text);
      }
      if (symbolic) return Json{{"type", "enum"}, {"name", unique_name(avro_name(path))}, {"symbols", symbols}};
    }
    return scalar(type, path);
  }

  // What the manifest says of the field that Avro has no word for.
  static Json metadata(const manifest::Field& field) {
    Json extra = Json::object();
    if (field.type == "decimal") extra["type"] = "decimal";
    if (field.pii.value_or(false)) extra["pii"] = true;
    if (field.classification) extra["classification"] = *field.classification;
    if (field.term) extra["term"] = *field.term;
    if (field.unique.value_or(false)) extra["unique"] = true;
    if (!field.enum_values.empty()) {
      Json values = Json::array();
      for (const auto& value : field.enum_values) values.push_back(scalar_json(value));
      extra["enum"] = std::move(values);
    }
    return extra;
  }

  const manifest::OutputPort* port_ = nullptr;
  std::set<std::string> names_;
};

}  // namespace

Result<std::string> to_avro(const manifest::DataProduct& product, const Ports& ports) {
  Json schemas = Json::array();
  Writer writer;
  for (const auto* port : ports) {
    writer.set_port(*port);
    auto record = writer.record(avro_name(port->name.value_or("port")), port->schema->fields, "");
    if (!record) return record.error();
    Json ordered = {{"type", "record"}, {"name", (*record)["name"]}};
    ordered["namespace"] = avro_name(product.metadata.domain) + "." + avro_name(product.metadata.name);
    ordered["doc"] = port->description.value_or(
        fmt::format("{} {}, output port {}", product.id(), product.metadata.version, port->name.value_or("")));
    ordered["fields"] = std::move((*record)["fields"]);
    schemas.push_back(std::move(ordered));
  }
  // One port: its record; several: a union of their records, which is an Avro schema too.
  return json_text(schemas.size() == 1 ? schemas.front() : schemas, 2) + "\n";
}

}  // namespace meshctl::exporters
