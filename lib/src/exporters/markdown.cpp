// A product as a Markdown page (CommonMark with GitHub's tables): what a consumer reads before using it.
// Text from the manifest is escaped: it cannot open HTML, links or break out of a table cell.

#include <fmt/format.h>

#include "exporters/formats.h"

namespace meshctl::exporters {

namespace {

// Inline text: HTML and Markdown's punctuation escaped, line breaks kept as spaces inside cells.
std::string text(std::string_view raw, bool in_cell = false) {
  while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r' || raw.back() == ' ')) raw.remove_suffix(1);
  std::string out;
  for (char c : raw) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '|': out += "\\|"; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '#':
        out += '\\';
        out += c;
        break;
      case '\r': break;
      case '\n': out += in_cell ? " " : "\n"; break;
      default: out += c;
    }
  }
  return out;
}

// A name or value in code spans: backticks inside get a longer fence.
std::string code(std::string_view raw) {
  std::string flat;
  for (char c : raw) flat += (c == '\n' || c == '\r' || c == '|') ? ' ' : c;
  std::string fence = "`";
  while (flat.find(fence) != std::string::npos) fence += '`';
  const bool pad = !flat.empty() && (flat.front() == '`' || flat.back() == '`');
  return fence + (pad ? " " : "") + flat + (pad ? " " : "") + fence;
}

std::string scalar_text(const manifest::Scalar& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  return scalar_json(value).dump();
}

void field_rows(std::string& page, const std::vector<manifest::Field>& fields, const std::string& prefix) {
  for (const auto& field : fields) {
    const auto path = prefix + field.name.value_or("");
    auto type = field.type.value_or("");
    if (type == "array" && field.items) type += " of " + *field.items;
    std::string notes = field.description ? text(*field.description, true) : "";
    if (!field.enum_values.empty()) {
      std::vector<std::string> values;
      for (const auto& value : field.enum_values) values.push_back(code(scalar_text(value)));
      notes += fmt::format("{}one of {}", notes.empty() ? "" : "; ", fmt::join(values, ", "));
    }
    page += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", code(path), text(type, true),
                        field.required.value_or(false) ? "yes" : "", field.unique.value_or(false) ? "yes" : "",
                        field.pii.value_or(false) ? "**PII**" : "", text(field.classification.value_or(""), true),
                        field.term ? code(*field.term) : "", notes);
    const auto nested = type.starts_with("array") ? path + "[]." : path + ".";
    field_rows(page, field.fields, nested);
  }
}

std::string rule_text(const manifest::QualityRule& rule) {
  std::vector<std::string> parts;
  if (rule.field) parts.push_back("on " + code(*rule.field));
  if (rule.min) parts.push_back("min " + scalar_text(std::visit([](auto n) { return manifest::Scalar(n); }, *rule.min)));
  if (rule.max) parts.push_back("max " + scalar_text(std::visit([](auto n) { return manifest::Scalar(n); }, *rule.max)));
  if (rule.pattern) parts.push_back("pattern " + code(*rule.pattern));
  if (!rule.values.empty()) {
    std::vector<std::string> values;
    for (const auto& value : rule.values) values.push_back(code(scalar_text(value)));
    parts.push_back(fmt::format("values {}", fmt::join(values, ", ")));
  }
  if (rule.query) parts.push_back("query " + code(*rule.query));
  auto line = fmt::format("{}{}{}", code(rule.rule.value_or("?")), parts.empty() ? "" : " ", fmt::join(parts, ", "));
  if (rule.description) line += ": " + text(*rule.description, true);
  return line;
}

}  // namespace

std::string to_markdown(const manifest::DataProduct& product, const Ports& ports) {
  const auto& meta = product.metadata;
  std::string page = fmt::format("# {}\n\n", text(meta.title.value_or(product.id())));
  page += fmt::format("{} version {}", code(product.id()), code(meta.version));
  if (meta.owner && meta.owner->team) {
    page += fmt::format(", owned by {}", text(*meta.owner->team));
    if (meta.owner->email) page += fmt::format(" ({})", text(*meta.owner->email));
  }
  page += fmt::format(". Compatibility: {}.\n", text(product.effective_compatibility()));
  if (meta.description) page += fmt::format("\n{}\n", text(*meta.description));
  if (!meta.tags.empty()) {
    std::vector<std::string> tags;
    for (const auto& tag : meta.tags) tags.push_back(code(tag));
    page += fmt::format("\nTags: {}\n", fmt::join(tags, ", "));
  }
  if (!meta.labels.empty()) {
    std::vector<std::string> labels;
    for (const auto& [key, value] : meta.labels) labels.push_back(code(key + "=" + value));
    page += fmt::format("\nLabels: {}\n", fmt::join(labels, ", "));
  }
  if (!product.spec.input_ports.empty()) {
    page += "\n## Input ports\n\n";
    for (const auto& input : product.spec.input_ports) {
      page += fmt::format("- {}: reads {}", code(input.name.value_or("")), code(input.product.value_or("")));
      if (input.version) page += fmt::format(" {}", code(*input.version));
      if (input.description) page += fmt::format(", {}", text(*input.description, true));
      page += "\n";
    }
  }
  for (const auto* port : ports) {
    page += fmt::format("\n## Output port {}\n\n", code(port->name.value_or("")));
    std::vector<std::string> facts;
    if (port->type) facts.push_back("type " + code(*port->type));
    if (port->format) facts.push_back("format " + code(*port->format));
    if (port->location) facts.push_back("at " + code(*port->location));
    if (!facts.empty()) page += fmt::format("{}.\n\n", fmt::join(facts, ", "));
    if (port->description) page += fmt::format("{}\n\n", text(*port->description));
    if (port->slo && (port->slo->freshness || port->slo->availability)) {
      page += "Service levels:";
      if (port->slo->freshness) page += fmt::format(" freshness {}", code(*port->slo->freshness));
      if (port->slo->availability) {
        page += fmt::format("{} availability {}", port->slo->freshness ? "," : "", code(*port->slo->availability));
      }
      page += ".\n\n";
    }
    if (port->schema && !port->schema->fields.empty()) {
      page += "| Field | Type | Required | Unique | PII | Classification | Term | Description |\n";
      page += "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
      field_rows(page, port->schema->fields, "");
      page += "\n";
    }
    if (!port->quality.empty()) {
      page += "Quality rules:\n\n";
      for (const auto& rule : port->quality) page += "- " + rule_text(rule) + "\n";
      page += "\n";
    }
  }
  while (page.ends_with("\n\n")) page.pop_back();
  return page;
}

}  // namespace meshctl::exporters
