#include "output/records.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace meshctl::cli {

void print_change_line(std::ostream& out, const registry::Change& change, bool planned) {
  out << change.ref.text() << ": ";
  switch (change.action) {
    case registry::ChangeAction::created: out << (planned ? "create " : "created ") << change.to_version; break;
    case registry::ChangeAction::evolved:
      out << (planned ? "evolve " : "evolved ") << change.from_version << " -> " << change.to_version;
      break;
    case registry::ChangeAction::unchanged: out << "unchanged " << change.to_version; break;
  }
  out << '\n';
}

void print_product_details(std::ostream& out, const registry::ProductDetails& details) {
  const auto& product = details.product;
  const auto manifest = nlohmann::json::parse(details.selected.manifest_json);
  const auto& metadata = manifest["metadata"];
  out << product.ref.text() << "  " << registry::to_string(product.status) << '\n';
  if (metadata.contains("title")) out << "  title:        " << metadata["title"].get<std::string>() << '\n';
  out << "  owner:        " << product.owner.team << " <" << product.owner.email << ">\n";
  out << "  latest:       " << product.latest_version << '\n';
  if (details.selected.version != product.latest_version) {
    out << "  showing:      " << details.selected.version << '\n';
  }
  if (product.deprecation) {
    out << "  DEPRECATED:   sunset " << product.deprecation->sunset << ": " << product.deprecation->reason << '\n';
  }
  if (metadata.contains("description")) {
    out << "  description:  " << metadata["description"].get<std::string>() << '\n';
  }
  out << "versions:\n";
  for (const auto& v : details.versions) {
    out << "  " << v.version << "  " << registry::to_string(v.status) << "  " << v.published_at << "  "
        << v.published_by;
    if (v.deprecation) out << "  (sunset " << v.deprecation->sunset << ")";
    out << '\n';
  }
  const auto& spec = manifest["spec"];
  if (spec.contains("outputPorts")) {
    out << "output ports:\n";
    for (const auto& port : spec["outputPorts"]) {
      out << "  " << port.value("name", "") << "  " << port.value("type", "") << "/" << port.value("format", "") << "  "
          << port.value("location", "") << '\n';
      if (port.contains("schema") && port["schema"].contains("fields")) {
        for (const auto& field : port["schema"]["fields"]) {
          out << "    " << field.value("name", "") << ": " << field.value("type", "");
          if (field.value("required", false)) out << ", required";
          if (field.value("pii", false)) out << ", pii";
          if (field.contains("classification")) out << ", " << field["classification"].get<std::string>();
          out << '\n';
        }
      }
      if (port.contains("slo")) {
        out << "    slo: freshness " << port["slo"].value("freshness", "-") << ", availability "
            << port["slo"].value("availability", "-") << '\n';
      }
    }
  }
  out << "dependencies (upstream):\n";
  if (details.dependencies.empty()) out << "  none\n";
  for (const auto& edge : details.dependencies) {
    out << "  " << edge.provider.text() << " " << edge.version_constraint << "  (port " << edge.port << ")\n";
  }
  // Input ports that read products on their way out (issue 6).
  for (const auto& warning : details.input_warnings) {
    out << "  WARNING: input port " << warning.edge.port << " reads " << warning.edge.provider.text();
    if (!warning.registered) {
      out << ", which is not in the registry\n";
      continue;
    }
    out << ", which is " << registry::to_string(warning.status);
    if (warning.deprecation) out << " (sunset " << warning.deprecation->sunset << ": " << warning.deprecation->reason << ")";
    out << '\n';
  }
  out << "dependents (downstream):\n";
  if (details.dependents.empty()) out << "  none\n";
  for (const auto& edge : details.dependents) {
    out << "  " << edge.consumer.text() << " " << edge.version_constraint << "  ("
        << registry::to_string(edge.consumer_status) << ")\n";
  }
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths;
  for (const auto& row : rows_) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows_) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
  }
}

}  // namespace meshctl::cli
