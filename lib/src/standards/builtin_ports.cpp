// Built-in rules on spec: compatibility, ports, schemas and fields, SLOs, quality rules.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "meshctl/core/semver.h"
#include "meshctl/core/sql_text.h"
#include "meshctl/core/text.h"
#include "standards/builtin_checker.h"

namespace meshctl::standards {

using yaml::Node;

namespace {

// `^[a-z][a-z0-9+.-]*://\S+$`
bool is_uri(std::string_view text) {
  const auto separator = text.find("://");
  if (separator == 0 || separator == std::string_view::npos) return false;
  const auto scheme = text.substr(0, separator);
  const auto rest = text.substr(separator + 3);
  auto scheme_char = [](char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '+' || c == '.' || c == '-'; };
  return scheme[0] >= 'a' && scheme[0] <= 'z' && std::all_of(scheme.begin(), scheme.end(), scheme_char) &&
         !rest.empty() &&
         std::none_of(rest.begin(), rest.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

// A positive whole number and a unit: 30s, 15m, 1h, 7d.
bool is_duration(std::string_view text) {
  if (text.size() < 2 || text[0] == '0') return false;
  const char unit = text.back();
  const auto number = text.substr(0, text.size() - 1);
  return (unit == 's' || unit == 'm' || unit == 'h' || unit == 'd') &&
         std::all_of(number.begin(), number.end(), is_digit);
}

// "99.9%": a number from 0 to 100 with at most 3 decimals, then '%'.
bool is_percentage(std::string_view text) {
  if (text.size() < 2 || text.back() != '%') return false;
  text.remove_suffix(1);
  const auto dot = text.find('.');
  const auto whole = text.substr(0, dot);
  const auto fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 3 || !std::all_of(whole.begin(), whole.end(), is_digit)) return false;
  if (dot != std::string_view::npos &&
      (fraction.empty() || fraction.size() > 3 || !std::all_of(fraction.begin(), fraction.end(), is_digit))) {
    return false;
  }
  if (whole.size() > 1 && whole[0] == '0') return false;
  const int value = std::stoi(std::string(whole));
  return value < 100 ||
         (value == 100 && std::all_of(fraction.begin(), fraction.end(), [](char c) { return c == '0'; }));
}

const Node* string_member(const Node& node, std::string_view key) {
  const auto* value = node.find(key);
  return value && value->is_string() ? value : nullptr;
}

bool kind_needs_field(std::string_view kind) {
  return kind == "not_null" || kind == "unique" || kind == "range" || kind == "pattern" || kind == "accepted_values";
}

}  // namespace

void BuiltinChecker::check_spec(const Node& spec, Position anchor) {
  if (const auto* mode = string_member(spec, "compatibility");
      mode && on(BuiltinRule::compatibility) && !contains(params_.compatibility_modes, mode->text)) {
    report(
        BuiltinRule::compatibility, mode->position, "spec.compatibility",
        fmt::format("compatibility '{}' is not a known mode{}: use {}", mode->text,
                    did_you_mean(mode->text, params_.compatibility_modes), quoted_list(params_.compatibility_modes)));
  }
  const auto* outputs_entry = spec.find_entry("outputPorts");
  if (on(BuiltinRule::output_ports)) {
    if (outputs_entry == nullptr) {
      report(BuiltinRule::output_ports, anchor, "spec.outputPorts",
             "spec has no outputPorts: declare at least one port that consumers read");
    } else if (outputs_entry->value.is_sequence() && outputs_entry->value.items.empty()) {
      report(BuiltinRule::output_ports, outputs_entry->value.position, "spec.outputPorts",
             "outputPorts is empty: declare at least one port that consumers read");
    }
  }
  std::vector<PortName> seen;
  if (const auto* inputs = spec.find("inputPorts"); inputs && inputs->is_sequence()) {
    for (std::size_t i = 0; i < inputs->items.size(); ++i) {
      const Node& port = inputs->items[i];
      if (!port.is_mapping()) continue;
      const auto path = fmt::format("spec.inputPorts[{}]", i);
      check_port_name(port, path, seen);
      check_input_port(port, path);
    }
  }
  if (outputs_entry && outputs_entry->value.is_sequence()) {
    const Node& outputs = outputs_entry->value;
    for (std::size_t i = 0; i < outputs.items.size(); ++i) {
      const Node& port = outputs.items[i];
      if (!port.is_mapping()) continue;
      const auto path = fmt::format("spec.outputPorts[{}]", i);
      check_port_name(port, path, seen);
      check_output_port(port, path);
    }
  }
}

void BuiltinChecker::check_port_name(const Node& port, const std::string& path, std::vector<PortName>& seen) {
  const auto* name = port.find("name");
  if (on(BuiltinRule::port_name_format)) {
    if (name == nullptr) {
      report(BuiltinRule::port_name_format, port.position, path + ".name",
             "the port has no name: add a kebab-case name");
    } else if (name->is_string() && !is_kebab_case(name->text)) {
      report(BuiltinRule::port_name_format, name->position, path + ".name",
             fmt::format("port name '{}' is not kebab-case: use lowercase words joined by '-'", name->text));
    }
  }
  if (name == nullptr || !name->is_string()) return;
  auto earlier = std::find_if(seen.begin(), seen.end(), [&](const PortName& p) { return p.name == name->text; });
  if (earlier != seen.end()) {
    if (on(BuiltinRule::port_names_unique)) {
      report(BuiltinRule::port_names_unique, name->position, path + ".name",
             fmt::format("port name '{}' is already used by {}: rename one of them", name->text, earlier->path));
    }
    return;
  }
  seen.push_back(PortName{name->text, path});
}

void BuiltinChecker::check_input_port(const Node& port, const std::string& path) {
  const auto* product = port.find("product");
  if (product == nullptr) {
    if (on(BuiltinRule::input_product)) {
      report(BuiltinRule::input_product, port.position, path + ".product",
             "the input port names no product: add product: domain/name");
    }
  } else if (product->is_string()) {
    const auto slash = product->text.find('/');
    const std::string_view text = product->text;
    const auto domain = slash == std::string::npos ? std::string_view() : text.substr(0, slash);
    const auto name = slash == std::string::npos ? std::string_view() : text.substr(slash + 1);
    if (!on(BuiltinRule::input_product)) {
    } else if (slash == std::string::npos || !is_kebab_case(domain) || !is_kebab_case(name)) {
      report(BuiltinRule::input_product, product->position, path + ".product",
             fmt::format("product '{}' is not domain/name: write both parts kebab-case, like sales/orders", text));
    } else if (!params_.input_domains.empty() && !contains(params_.input_domains, domain)) {
      report(
          BuiltinRule::input_product, product->position, path + ".product",
          fmt::format("product '{}' is in domain '{}', which is not one of the platform's domains{}: use one of {}",
                      text, domain, did_you_mean(domain, params_.input_domains), quoted_list(params_.input_domains)));
    }
    if (on(BuiltinRule::input_self) && !self_product_.empty() && product->text == self_product_) {
      report(BuiltinRule::input_self, product->position, path + ".product",
             fmt::format("the input port reads '{}', this product itself: remove the port", text));
    }
  }
  if (!on(BuiltinRule::input_version)) return;
  const auto* version = port.find("version");
  if (version == nullptr) {
    report(BuiltinRule::input_version, port.position, path + ".version",
           "the input port has no version constraint: add one, like version: \"^2\"");
  } else if (version->is_string() && !parse_constraint(version->text)) {
    report(BuiltinRule::input_version, version->position, path + ".version",
           fmt::format("version '{}' is not a version constraint: write ^2, ~1.4, >=3.1.0 or an exact 2.0.1",
                       version->text));
  }
}

void BuiltinChecker::check_output_port(const Node& port, const std::string& path) {
  const auto* type = port.find("type");
  if (on(BuiltinRule::port_type)) {
    if (type == nullptr) {
      report(BuiltinRule::port_type, port.position, path + ".type",
             fmt::format("the output port has no type: add one of {}", quoted_list(params_.port_types)));
    } else if (type->is_string() && !contains(params_.port_types, type->text)) {
      report(BuiltinRule::port_type, type->position, path + ".type",
             fmt::format("port type '{}' is not known{}: use {}", type->text,
                         did_you_mean(type->text, params_.port_types), quoted_list(params_.port_types)));
    }
  }
  const auto* format = port.find("format");
  if (on(BuiltinRule::port_format)) {
    if (format == nullptr) {
      report(BuiltinRule::port_format, port.position, path + ".format",
             fmt::format("the output port has no format: add one of {}", quoted_list(params_.port_formats)));
    } else if (format->is_string() && !contains(params_.port_formats, format->text)) {
      report(BuiltinRule::port_format, format->position, path + ".format",
             fmt::format("format '{}' is not supported{}: use {}", format->text,
                         did_you_mean(format->text, params_.port_formats), quoted_list(params_.port_formats)));
    }
  }
  const auto* location = port.find("location");
  if (on(BuiltinRule::port_location)) {
    if (location == nullptr) {
      report(BuiltinRule::port_location, port.position, path + ".location",
             "the output port has no location: add the URI consumers read, like s3://bucket/path/");
    } else if (location->is_string() && !is_uri(location->text)) {
      report(BuiltinRule::port_location, location->position, path + ".location",
             fmt::format("location '{}' is not a URI: write scheme://..., like s3://bucket/path/", location->text));
    }
  }
  std::vector<std::string> names;
  const std::vector<std::string>* known_names = nullptr;
  const auto* schema_entry = port.find_entry("schema");
  if (schema_entry == nullptr) {
    if (on(BuiltinRule::port_schema)) {
      report(BuiltinRule::port_schema, port.position, path + ".schema",
             "the output port has no schema: add schema.fields with at least one field");
    }
  } else if (schema_entry->value.is_mapping()) {
    const auto* fields_entry = schema_entry->value.find_entry("fields");
    if (fields_entry == nullptr) {
      if (on(BuiltinRule::port_schema)) {
        report(BuiltinRule::port_schema, schema_entry->key_position, path + ".schema.fields",
               "the schema has no fields: add at least one field");
      }
    } else if (fields_entry->value.is_sequence()) {
      if (fields_entry->value.items.empty() && on(BuiltinRule::port_schema)) {
        report(BuiltinRule::port_schema, fields_entry->value.position, path + ".schema.fields",
               "the schema's fields are empty: add at least one field");
      }
      check_fields(fields_entry->value, path + ".schema.fields", "", names);
      if (!names.empty()) known_names = &names;  // an empty schema is reported once, above
    }
  }
  const auto* slo_entry = port.find_entry("slo");
  if (slo_entry == nullptr) {
    if (on(BuiltinRule::slo)) {
      report(BuiltinRule::slo, port.position, path + ".slo",
             "the output port declares no slo: add slo: { freshness: 1h, availability: \"99.9%\" }");
    }
  } else if (slo_entry->value.is_mapping()) {
    check_slo(slo_entry->value, slo_entry->key_position, path + ".slo");
  }
  if (const auto* quality = port.find("quality"); quality && quality->is_sequence()) {
    check_quality(*quality, path + ".quality", known_names);
  }
}

void BuiltinChecker::check_fields(const Node& fields, const std::string& path, const std::string& prefix,
                                  std::vector<std::string>& names) {
  std::vector<std::pair<std::string_view, std::size_t>> level;  // name, index: uniqueness per level
  for (std::size_t i = 0; i < fields.items.size(); ++i) {
    const Node& field = fields.items[i];
    if (!field.is_mapping()) continue;
    const auto field_path = fmt::format("{}[{}]", path, i);
    check_field(field, field_path);
    const auto* name = string_member(field, "name");
    if (name == nullptr) continue;
    auto earlier = std::find_if(level.begin(), level.end(), [&](const auto& seen) { return seen.first == name->text; });
    if (earlier != level.end()) {
      if (on(BuiltinRule::field_names_unique)) {
        report(BuiltinRule::field_names_unique, name->position, field_path + ".name",
               fmt::format("field name '{}' is already used by {}[{}]: rename one of them", name->text, path,
                           earlier->second));
      }
    } else {
      level.emplace_back(name->text, i);
    }
    const std::string qualified = prefix.empty() ? name->text : prefix + "." + name->text;
    names.push_back(qualified);
    if (const auto* nested = field.find("fields"); nested && nested->is_sequence()) {
      check_fields(*nested, field_path + ".fields", qualified, names);
    }
  }
}

void BuiltinChecker::check_field(const Node& field, const std::string& path) {
  const auto* name = field.find("name");
  const std::string label = name && name->is_string() ? fmt::format("field '{}'", name->text) : "the field";
  if (on(BuiltinRule::field_name)) {
    if (name == nullptr) {
      report(BuiltinRule::field_name, field.position, path + ".name", "the field has no name: add one");
    } else if (name->is_string() && !has_casing(name->text, params_.field_name_casing)) {
      report(
          BuiltinRule::field_name, name->position, path + ".name",
          fmt::format("field name '{}' is not {}: rename it", name->text, casing_example(params_.field_name_casing)));
    }
  }
  const auto* type = field.find("type");
  if (on(BuiltinRule::field_type)) {
    if (type == nullptr) {
      report(BuiltinRule::field_type, field.position, path + ".type",
             fmt::format("{} has no type: add one of {}", label, quoted_list(params_.field_types)));
    } else if (type->is_string() && !contains(params_.field_types, type->text)) {
      report(BuiltinRule::field_type, type->position, path + ".type",
             fmt::format("{} has type '{}', which is not known{}: use {}", label, type->text,
                         did_you_mean(type->text, params_.field_types), quoted_list(params_.field_types)));
    } else if (const auto* nested = field.find_entry("fields");
               nested && type->is_string() && type->text != "object" && type->text != "array") {
      report(BuiltinRule::field_type, nested->key_position, path + ".fields",
             fmt::format("{} has type '{}' but nested fields: make it an object (or array), or remove the fields",
                         label, type->text));
    }
  }
  const auto* description = field.find("description");
  if (on(BuiltinRule::field_description)) {
    if (description == nullptr) {
      report(BuiltinRule::field_description, field.position, path + ".description",
             fmt::format("{} has no description: say what the value means", label));
    } else if (description->is_string() && trim(description->text).empty()) {
      report(BuiltinRule::field_description, description->position, path + ".description",
             fmt::format("{} has an empty description: say what the value means", label));
    }
  }
  const auto& levels = params_.classification_levels;
  const auto* classification = field.find("classification");
  const bool classification_on = on(BuiltinRule::field_classification);
  if (classification_on) {
    if (classification == nullptr && params_.classification_required) {
      report(BuiltinRule::field_classification, field.position, path + ".classification",
             fmt::format("{} has no classification: add one of {}", label, quoted_list(levels)));
    } else if (classification && classification->is_string() && !contains(levels, classification->text)) {
      report(BuiltinRule::field_classification, classification->position, path + ".classification",
             fmt::format("{} is classified '{}', which is not a level{}: use {}", label, classification->text,
                         did_you_mean(classification->text, levels), quoted_list(levels)));
    }
  }
  const auto* pii = field.find("pii");
  if (!on(BuiltinRule::pii_class) || pii == nullptr || pii->kind != yaml::NodeKind::boolean || !pii->as_bool()) return;
  const auto minimum = std::find(levels.begin(), levels.end(), params_.pii_minimum);
  if (minimum == levels.end()) return;
  std::vector<std::string> strict_enough(minimum, levels.end());
  if (classification == nullptr) {
    if (!(classification_on && params_.classification_required)) {
      report(BuiltinRule::pii_class, field.position, path,
             fmt::format("{} is PII but has no classification: classify it {}", label, quoted_list(strict_enough)));
    }
  } else if (classification->is_string()) {
    const auto level = std::find(levels.begin(), levels.end(), classification->text);
    if (level != levels.end() && level < minimum) {
      report(BuiltinRule::pii_class, classification->position, path,
             fmt::format("{} is PII but classified '{}': classify it {}", label, classification->text,
                         quoted_list(strict_enough)));
    }
  }
}

void BuiltinChecker::check_slo(const Node& slo, Position anchor, const std::string& path) {
  const auto* freshness = slo.find("freshness");
  if (on(BuiltinRule::slo_freshness)) {
    if (freshness == nullptr) {
      report(BuiltinRule::slo_freshness, anchor, path + ".freshness",
             "the slo has no freshness: add how old the data may get, like freshness: 1h");
    } else if (freshness->is_string() && !is_duration(freshness->text)) {
      report(BuiltinRule::slo_freshness, freshness->position, path + ".freshness",
             fmt::format("freshness '{}' is not a duration: write a number and s, m, h or d, like 15m or 1h",
                         freshness->text));
    }
  }
  const auto* availability = slo.find("availability");
  if (on(BuiltinRule::slo_availability)) {
    if (availability == nullptr) {
      report(BuiltinRule::slo_availability, anchor, path + ".availability",
             "the slo has no availability: add the share of time the port is readable, like availability: \"99.9%\"");
    } else if (availability->is_string() && !is_percentage(availability->text)) {
      report(BuiltinRule::slo_availability, availability->position, path + ".availability",
             fmt::format("availability '{}' is not a percentage from 0 to 100: write it like \"99.9%\"",
                         availability->text));
    }
  }
}

void BuiltinChecker::check_sql_rule(const Node& item, const std::string& item_path) {
  const auto* query = item.find("query");
  if (query == nullptr) {
    report(BuiltinRule::quality_rule, item.position, item_path,
           "a sql rule needs its query: add query: with one SELECT that returns one number");
  } else if (query->is_string()) {
    if (auto problem = single_select_problem(query->text)) {
      report(BuiltinRule::quality_rule, query->position, item_path + ".query", *problem);
    }
  }
  if (item.find("mustBe") == nullptr && item.find("mustBeLessThan") == nullptr &&
      item.find("mustBeGreaterThan") == nullptr) {
    report(BuiltinRule::quality_rule, item.position, item_path,
           "a sql rule needs what its number must be: add mustBe:, mustBeLessThan: or mustBeGreaterThan:");
  }
}

void BuiltinChecker::check_quality(const Node& quality, const std::string& path,
                                   const std::vector<std::string>* names) {
  for (std::size_t i = 0; i < quality.items.size(); ++i) {
    const Node& item = quality.items[i];
    if (!item.is_mapping()) continue;
    const auto item_path = fmt::format("{}[{}]", path, i);
    const auto* kind = item.find("rule");
    if (on(BuiltinRule::quality_rule)) {
      auto need = [&](std::string message) {
        report(BuiltinRule::quality_rule, item.position, item_path, std::move(message));
      };
      if (kind == nullptr) {
        need(fmt::format("the quality rule has no kind: add rule: with one of {}", quoted_list(params_.quality_kinds)));
      } else if (kind->is_string() && !contains(params_.quality_kinds, kind->text)) {
        report(BuiltinRule::quality_rule, kind->position, item_path + ".rule",
               fmt::format("quality rule '{}' is not known{}: use {}", kind->text,
                           did_you_mean(kind->text, params_.quality_kinds), quoted_list(params_.quality_kinds)));
      } else if (kind->is_string()) {
        const std::string& k = kind->text;
        if (kind_needs_field(k) && item.find("field") == nullptr) {
          need(fmt::format("a {} rule needs the field it checks: add field:", k));
        }
        if ((k == "row_count" || k == "range") && item.find("min") == nullptr && item.find("max") == nullptr) {
          need(fmt::format("a {} rule needs a bound: add min:, max: or both", k));
        }
        if (k == "pattern") {
          const auto* pattern = item.find("pattern");
          if (pattern == nullptr) {
            need("a pattern rule needs the pattern: add pattern: with a regular expression");
          } else if (pattern->is_string() && pattern->text.empty()) {
            report(BuiltinRule::quality_rule, pattern->position, item_path + ".pattern",
                   "the pattern is empty: write the regular expression values must match");
          }
        }
        if (k == "sql") check_sql_rule(item, item_path);
        if (k == "accepted_values") {
          const auto* values = item.find("values");
          if (values == nullptr) {
            need("an accepted_values rule needs its values: add values: [...]");
          } else if (values->is_sequence() && values->items.empty()) {
            report(BuiltinRule::quality_rule, values->position, item_path + ".values",
                   "the list of accepted values is empty: list the values allowed");
          }
        }
      }
    }
    const auto* field = string_member(item, "field");
    if (on(BuiltinRule::quality_field) && names != nullptr && field != nullptr && !contains(*names, field->text)) {
      report(BuiltinRule::quality_field, field->position, item_path + ".field",
             fmt::format("the quality rule checks field '{}', which this output port does not have{}", field->text,
                         did_you_mean(field->text, *names)));
    }
  }
}

}  // namespace meshctl::standards
