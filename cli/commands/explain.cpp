#include "commands/explain.h"

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "exit_codes.h"
#include "meshctl/manifest/explain.h"
#include "output/structured.h"

namespace meshctl::cli {

namespace {

nlohmann::ordered_json doc_json(const manifest::FieldDoc& doc) {
  nlohmann::ordered_json fields = nlohmann::ordered_json::array();
  for (const auto& field : doc.fields) {
    fields.push_back(
        {{"name", field.name}, {"type", field.type}, {"required", field.required}, {"description", field.description}});
  }
  nlohmann::ordered_json json = {
      {"path", doc.path}, {"type", doc.type}, {"required", doc.required}, {"description", doc.description}};
  if (!doc.values.empty()) json["values"] = doc.values;
  json["fields"] = std::move(fields);
  return json;
}

void print_doc(std::ostream& out, const manifest::FieldDoc& doc) {
  out << "FIELD:        " << (doc.path.empty() ? "(the manifest)" : doc.path) << "  <" << doc.type << ">"
      << (doc.required ? "  required" : "") << '\n';
  if (!doc.description.empty()) out << "DESCRIPTION:  " << doc.description << '\n';
  if (!doc.values.empty()) {
    out << "VALUES:      ";
    for (const auto& value : doc.values) out << ' ' << value;
    out << '\n';
  }
  if (doc.fields.empty()) return;
  out << "FIELDS:\n";
  std::size_t width = 0;
  for (const auto& field : doc.fields) width = std::max(width, field.name.size() + field.type.size() + 3);
  for (const auto& field : doc.fields) {
    const std::string head = field.name + " <" + field.type + ">";
    out << "  " << head << std::string(width - head.size() + 2, ' ') << field.description
        << (field.required ? " (required)" : "") << '\n';
  }
}

}  // namespace

void register_explain(CLI::App& app, Context& context) {
  auto path = std::make_shared<std::string>();
  auto* command = app.add_subcommand("explain", "Document a manifest field: its type, meaning and fields");
  command->footer(R"(PATH is the field's keys joined by dots; array elements are implied
(spec.outputPorts.slo, or spec.outputPorts[0].slo). Without PATH: the top level.
The text comes from the declaration that drives validation and `meshctl schema`.

Examples:
  meshctl explain spec.outputPorts.slo
  meshctl explain spec.outputPorts.schema.fields
  meshctl explain metadata -o json)");
  command->add_option("path", *path, "The field, like spec.outputPorts.slo");
  command->callback([path, &context] {
    auto doc = manifest::explain_field(*path);
    if (!doc) {
      context.exit_code = report_error(context, doc.error());
      return;
    }
    print_as_requested(context, doc_json(*doc), [&](std::ostream& out) { print_doc(out, *doc); });
    context.exit_code = kSuccess;
  });
}

}  // namespace meshctl::cli
