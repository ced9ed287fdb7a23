#include "output/records.h"

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/core/text.h"

namespace meshctl::cli {

void print_change_line(std::ostream& out, const registry::Change& change, bool planned) {
  out << printable_text(change.ref.text()) << ": ";
  switch (change.action) {
    case registry::ChangeAction::created: out << (planned ? "create " : "created ") << change.to_version; break;
    case registry::ChangeAction::evolved:
      out << (planned ? "evolve " : "evolved ") << change.from_version << " -> " << change.to_version;
      break;
    case registry::ChangeAction::unchanged: out << "unchanged " << change.to_version; break;
  }
  out << '\n';
}

namespace {

// A scalar of the manifest as a reader wants it: strings without quotes, numbers and booleans as written.
std::string scalar_text(const nlohmann::json& value) {
  return printable_text(value.is_string() ? value.get<std::string>() : value.dump());
}

std::string joined(const nlohmann::json& list) {
  std::string text;
  if (!list.is_array()) return text;
  for (const auto& item : list) text += (text.empty() ? "" : ", ") + scalar_text(item);
  return text;
}

// "  label:" padded so that every value of the header starts in the same column.
void header_line(std::ostream& out, std::string_view label, const std::string& value) {
  std::string padded = "  " + std::string(label) + ":";
  padded.resize(std::max<std::size_t>(padded.size() + 1, 17), ' ');
  out << padded << value << '\n';
}

struct FieldRow {
  std::string name;  // dotted below an object: "address.city"
  const nlohmann::json* field;
};

void flatten_fields(const nlohmann::json& fields, const std::string& prefix, std::vector<FieldRow>& rows) {
  if (!fields.is_array()) return;
  for (const auto& field : fields) {
    const auto name = prefix + field.value("name", "");
    rows.push_back({name, &field});
    if (field.contains("fields")) flatten_fields(field["fields"], name + ".", rows);
  }
}

std::string type_text(const nlohmann::json& field) {
  std::string type = field.value("type", "");
  if (field.contains("items")) type += "<" + field.value("items", "") + ">";
  return printable_text(type);
}

// Each field on one line, names and types in columns, then its enum and description below it.
void print_fields(std::ostream& out, const nlohmann::json& fields) {
  std::vector<FieldRow> rows;
  flatten_fields(fields, "", rows);
  std::size_t name_width = 0;
  std::size_t type_width = 0;
  for (const auto& row : rows) {
    name_width = std::max(name_width, printable_text(row.name).size());
    type_width = std::max(type_width, type_text(*row.field).size());
  }
  const std::string indent(6 + name_width + 2, ' ');
  for (const auto& row : rows) {
    const auto& field = *row.field;
    std::vector<std::string> traits;
    if (field.value("required", false)) traits.emplace_back("required");
    if (field.value("unique", false)) traits.emplace_back("unique");
    if (field.value("pii", false)) traits.emplace_back("pii");
    if (field.contains("classification")) traits.push_back(scalar_text(field["classification"]));
    if (field.contains("term")) traits.push_back("term: " + scalar_text(field["term"]));
    std::string line = "      " + printable_text(row.name);
    line.resize(indent.size(), ' ');
    line += type_text(field);
    if (!traits.empty()) {
      line.resize(indent.size() + type_width + 2, ' ');
      for (std::size_t i = 0; i < traits.size(); ++i) line += (i == 0 ? "" : ", ") + traits[i];
    }
    out << line << '\n';
    if (field.contains("enum")) out << indent << "enum: " << joined(field["enum"]) << '\n';
    if (field.contains("description")) out << indent << scalar_text(field["description"]) << '\n';
  }
}

// One quality rule: "range on amount: min 0, max 100  (why)".
void print_quality_rule(std::ostream& out, const nlohmann::json& rule) {
  out << "      " << scalar_text(rule.value("rule", nlohmann::json("?")));
  if (rule.contains("field")) out << " on " << scalar_text(rule["field"]);
  std::vector<std::string> settings;
  for (const char* key : {"min", "max", "pattern", "query", "mustBe", "mustBeLessThan", "mustBeGreaterThan"}) {
    if (rule.contains(key)) settings.push_back(std::string(key) + " " + scalar_text(rule[key]));
  }
  if (rule.contains("values")) settings.push_back("values " + joined(rule["values"]));
  for (std::size_t i = 0; i < settings.size(); ++i) out << (i == 0 ? ": " : ", ") << settings[i];
  if (rule.contains("description")) out << "  (" << scalar_text(rule["description"]) << ")";
  out << '\n';
}

}  // namespace

void print_product_details(std::ostream& out, const registry::ProductDetails& details) {
  const auto& product = details.product;
  const auto manifest = nlohmann::json::parse(details.selected.manifest_json);
  const auto& metadata = manifest["metadata"];
  const auto& spec = manifest["spec"];
  out << printable_text(product.ref.text()) << "  " << registry::to_string(product.status) << '\n';
  if (metadata.contains("title")) header_line(out, "title", scalar_text(metadata["title"]));
  header_line(out, "owner", printable_text(product.owner.team) + " <" + printable_text(product.owner.email) + ">");
  header_line(out, "latest", product.latest_version);
  if (details.selected.version != product.latest_version) header_line(out, "showing", details.selected.version);
  if (product.deprecation) {
    header_line(out, "DEPRECATED",
                "sunset " + product.deprecation->sunset + ": " + printable_text(product.deprecation->reason));
  }
  header_line(out, "compatibility",
              spec.contains("compatibility") ? scalar_text(spec["compatibility"]) : "forward (default)");
  if (metadata.contains("tags") && !metadata["tags"].empty()) header_line(out, "tags", joined(metadata["tags"]));
  if (metadata.contains("labels") && metadata["labels"].is_object() && !metadata["labels"].empty()) {
    std::string labels;
    for (auto it = metadata["labels"].begin(); it != metadata["labels"].end(); ++it) {
      labels += (labels.empty() ? "" : ", ") + printable_text(it.key()) + "=" + scalar_text(it.value());
    }
    header_line(out, "labels", labels);
  }
  if (metadata.contains("description")) {
    header_line(out, "description", printable_text(metadata["description"].get<std::string>(), LineBreaks::keep));
  }
  out << "versions:\n";
  for (const auto& v : details.versions) {
    out << "  " << v.version << "  " << registry::to_string(v.status) << "  " << v.published_at << "  "
        << printable_text(v.published_by);
    if (v.deprecation) out << "  (sunset " << v.deprecation->sunset << ")";
    out << '\n';
  }
  if (spec.contains("outputPorts")) {
    out << "output ports:\n";
    for (const auto& port : spec["outputPorts"]) {
      out << "  " << printable_text(port.value("name", "")) << "  " << printable_text(port.value("type", "")) << "/"
          << printable_text(port.value("format", "")) << "  " << printable_text(port.value("location", "")) << '\n';
      if (port.contains("description")) out << "    " << scalar_text(port["description"]) << '\n';
      if (port.contains("schema") && port["schema"].contains("fields")) {
        out << "    fields:\n";
        print_fields(out, port["schema"]["fields"]);
      }
      if (port.contains("slo")) {
        out << "    slo: freshness " << printable_text(port["slo"].value("freshness", "-")) << ", availability "
            << printable_text(port["slo"].value("availability", "-")) << '\n';
      }
      if (port.contains("quality") && !port["quality"].empty()) {
        out << "    quality rules:\n";
        for (const auto& rule : port["quality"]) print_quality_rule(out, rule);
      }
      const auto name = port.value("name", "");
      for (const auto& run : details.latest_quality) {
        if (run.port != name) continue;
        // Minutes are enough to tell runs apart for a reader; get quality shows the seconds.
        const auto time = run.time.size() == 20 ? run.time.substr(0, 16) + "Z" : run.time;
        out << "    quality: " << run.counts.passed << "/" << run.counts.total() << " passed, " << printable_text(time)
            << '\n';
      }
    }
  }
  out << "dependencies (upstream):\n";
  if (details.dependencies.empty()) out << "  none\n";
  for (const auto& edge : details.dependencies) {
    out << "  " << printable_text(edge.provider.text()) << " " << printable_text(edge.version_constraint) << "  (port "
        << printable_text(edge.port) << ")\n";
  }
  // Input ports that read products on their way out.
  for (const auto& warning : details.input_warnings) {
    out << "  WARNING: input port " << printable_text(warning.edge.port) << " reads "
        << printable_text(warning.edge.provider.text());
    if (!warning.registered) {
      out << ", which is not in the registry\n";
      continue;
    }
    const auto constraint = printable_text(warning.edge.version_constraint);
    if (warning.status == registry::LifecycleStatus::active && warning.resolves_to.empty()) {
      out << " " << constraint << ", but no version of it meets the constraint\n";
      continue;
    }
    if (warning.status == registry::LifecycleStatus::active) {
      out << " " << constraint << ", which resolves only to deprecated versions ";
      for (std::size_t i = 0; i < warning.resolves_to.size(); ++i) {
        out << (i == 0 ? "" : ", ") << printable_text(warning.resolves_to[i]);
      }
    } else {
      out << ", which is " << registry::to_string(warning.status);
    }
    if (warning.deprecation)
      out << " (sunset " << warning.deprecation->sunset << ": " << printable_text(warning.deprecation->reason) << ")";
    out << '\n';
  }
  out << "dependents (downstream):\n";
  if (details.dependents.empty()) out << "  none\n";
  for (const auto& edge : details.dependents) {
    out << "  " << printable_text(edge.consumer.text()) << " " << printable_text(edge.version_constraint) << "  ("
        << registry::to_string(edge.consumer_status) << ")\n";
  }
}

void Table::print(std::ostream& out) const {
  // Cells hold registry text: shown with control characters escaped, measured as shown.
  std::vector<std::vector<std::string>> shown;
  for (const auto& row : rows_) {
    auto& cells = shown.emplace_back();
    for (const auto& cell : row) cells.push_back(printable_text(cell));
  }
  std::vector<std::size_t> widths;
  for (const auto& cells : shown) {
    widths.resize(std::max(widths.size(), cells.size()));
    for (std::size_t i = 0; i < cells.size(); ++i) widths[i] = std::max(widths[i], cells[i].size());
  }
  for (const auto& cells : shown) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      line += cells[i];
      if (i + 1 < cells.size()) line += std::string(widths[i] - cells[i].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
  }
}

}  // namespace meshctl::cli
