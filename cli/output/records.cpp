#include "output/records.h"

#include <algorithm>

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

void print_product_details(std::ostream& out, const registry::ProductDetails& details) {
  const auto& product = details.product;
  const auto manifest = nlohmann::json::parse(details.selected.manifest_json);
  const auto& metadata = manifest["metadata"];
  out << printable_text(product.ref.text()) << "  " << registry::to_string(product.status) << '\n';
  if (metadata.contains("title"))
    out << "  title:        " << printable_text(metadata["title"].get<std::string>()) << '\n';
  out << "  owner:        " << printable_text(product.owner.team) << " <" << printable_text(product.owner.email)
      << ">\n";
  out << "  latest:       " << product.latest_version << '\n';
  if (details.selected.version != product.latest_version) {
    out << "  showing:      " << details.selected.version << '\n';
  }
  if (product.deprecation) {
    out << "  DEPRECATED:   sunset " << product.deprecation->sunset << ": "
        << printable_text(product.deprecation->reason) << '\n';
  }
  if (metadata.contains("description")) {
    out << "  description:  " << printable_text(metadata["description"].get<std::string>(), LineBreaks::keep) << '\n';
  }
  out << "versions:\n";
  for (const auto& v : details.versions) {
    out << "  " << v.version << "  " << registry::to_string(v.status) << "  " << v.published_at << "  "
        << printable_text(v.published_by);
    if (v.deprecation) out << "  (sunset " << v.deprecation->sunset << ")";
    out << '\n';
  }
  const auto& spec = manifest["spec"];
  if (spec.contains("outputPorts")) {
    out << "output ports:\n";
    for (const auto& port : spec["outputPorts"]) {
      out << "  " << printable_text(port.value("name", "")) << "  " << printable_text(port.value("type", "")) << "/"
          << printable_text(port.value("format", "")) << "  " << printable_text(port.value("location", "")) << '\n';
      if (port.contains("schema") && port["schema"].contains("fields")) {
        for (const auto& field : port["schema"]["fields"]) {
          out << "    " << printable_text(field.value("name", "")) << ": " << printable_text(field.value("type", ""));
          if (field.value("required", false)) out << ", required";
          if (field.value("pii", false)) out << ", pii";
          if (field.contains("classification"))
            out << ", " << printable_text(field["classification"].get<std::string>());
          if (field.contains("term")) out << ", term " << printable_text(field["term"].get<std::string>());
          out << '\n';
        }
      }
      if (port.contains("slo")) {
        out << "    slo: freshness " << printable_text(port["slo"].value("freshness", "-")) << ", availability "
            << printable_text(port["slo"].value("availability", "-")) << '\n';
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
