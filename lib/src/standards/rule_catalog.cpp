// The built-in default standard: every rule's id, severity, text and parameters.
#include <algorithm>

#include "meshctl/core/text.h"
#include "standards/internal.h"

namespace meshctl::standards {

namespace {

using nlohmann::json;

const json kClassificationLevels = {"public", "internal", "confidential", "restricted"};

std::vector<RuleInfo> make_catalog() {
  // Order matches BuiltinRule.
  return {
      {"MESH-NAME-FORMAT",
       Severity::error,
       "metadata.name is kebab-case and at most maxLength characters",
       "The name becomes part of URLs, topic names and table names in every platform tool; kebab-case within a "
       "length limit is safe in all of them.",
       {{"maxLength", 63}},
       "metadata:\n  name: Orders_Table",
       "metadata:\n  name: orders-table"},
      {"MESH-DOMAIN-FORMAT",
       Severity::error,
       "metadata.domain is kebab-case and, when `allowed` is set, one of it",
       "The domain is the tenant that owns the product; a misspelt domain creates a tenant nobody owns.",
       {{"allowed", json::array()}},
       "metadata:\n  domain: Sales",
       "metadata:\n  domain: sales"},
      {"MESH-VERSION-SEMVER", Severity::error, "metadata.version is a semantic version (semver 2.0.0)",
       "Consumers pin versions with constraints such as ^2; only semantic versions can be compared that way.",
       json::object(), "metadata:\n  version: v1.2", "metadata:\n  version: 1.2.0"},
      {"MESH-TITLE", Severity::info, "metadata.title gives the product a short human name",
       "Catalogs and search results show the title; without one they fall back to the technical name.", json::object(),
       "metadata:\n  name: orders", "metadata:\n  name: orders\n  title: Confirmed orders"},
      {"MESH-DESCRIPTION",
       Severity::error,
       "metadata.description is present, at least minLength characters, and more than the name or title",
       "A consumer decides from the description whether the product fits; an empty or echoed one says nothing.",
       {{"minLength", 20}},
       "metadata:\n  name: orders\n  description: orders",
       "metadata:\n  name: orders\n  description: One row per confirmed order line, updated hourly."},
      {"MESH-OWNER-TEAM", Severity::error, "metadata.owner.team names the owning team, kebab-case",
       "Every product needs a team that answers for it; incidents and deprecations are routed to it.", json::object(),
       "metadata:\n  owner: { email: sales-data@example.com }",
       "metadata:\n  owner: { team: sales-data, email: sales-data@example.com }"},
      {"MESH-OWNER-EMAIL", Severity::error, "metadata.owner.email is a valid email address",
       "Consumers and the platform need a way to reach the owners that does not depend on an org chart.",
       json::object(), "metadata:\n  owner: { team: sales-data, email: sales-data }",
       "metadata:\n  owner: { team: sales-data, email: sales-data@example.com }"},
      {"MESH-TAGS", Severity::error, "metadata.tags are kebab-case and not repeated",
       "Tags are searched and grouped on exactly; one spelling per tag keeps search results complete.", json::object(),
       "metadata:\n  tags: [Revenue, revenue]", "metadata:\n  tags: [revenue]"},
      {"MESH-LABELS",
       Severity::error,
       "metadata.labels keys are lowercase (a-z, 0-9, '.', '-', '/'), values at most maxValueLength characters",
       "Labels are copied into cloud resource tags and Kubernetes labels, which accept only this form.",
       {{"maxValueLength", 63}},
       "metadata:\n  labels: { Cost Center: cc-1 }",
       "metadata:\n  labels: { cost-center: cc-1 }"},
      {"MESH-COMPATIBILITY",
       Severity::error,
       "spec.compatibility is one of the known compatibility modes",
       "The registry enforces the mode on every new version; an unknown mode would silently enforce nothing.",
       {{"modes",
         {"backward", "backward_transitive", "forward", "forward_transitive", "full", "full_transitive", "none"}}},
       "spec:\n  compatibility: strict",
       "spec:\n  compatibility: forward"},
      {"MESH-OUTPUT-PORTS", Severity::error, "spec.outputPorts declares at least one output port",
       "A data product without an output port publishes nothing anyone can consume.", json::object(),
       "spec:\n  outputPorts: []", "spec:\n  outputPorts:\n    - { name: orders-table, type: table, ... }"},
      {"MESH-PORT-NAME-FORMAT", Severity::error, "every input and output port has a kebab-case name",
       "Port names appear in lineage graphs and in the locations derived from them.", json::object(),
       "outputPorts:\n  - name: Orders_Table", "outputPorts:\n  - name: orders-table"},
      {"MESH-PORT-NAMES-UNIQUE", Severity::error, "port names are unique across input and output ports",
       "Lineage and usage are recorded per port name; two ports with one name cannot be told apart.", json::object(),
       "inputPorts:\n  - name: orders\noutputPorts:\n  - name: orders",
       "inputPorts:\n  - name: orders-in\noutputPorts:\n  - name: orders"},
      {"MESH-PORT-TYPE",
       Severity::error,
       "every output port has a type from `types`",
       "Consumers and the platform choose how to connect by the port type.",
       {{"types", {"table", "topic", "file", "api"}}},
       "outputPorts:\n  - type: bucket",
       "outputPorts:\n  - type: file"},
      {"MESH-PORT-FORMAT",
       Severity::error,
       "every output port has a data format from `formats`",
       "Consumers need a format their engines read; the list is what the platform supports.",
       {{"formats", {"parquet", "avro", "json", "csv", "delta", "iceberg", "protobuf"}}},
       "outputPorts:\n  - format: xml",
       "outputPorts:\n  - format: parquet"},
      {"MESH-PORT-LOCATION", Severity::error, "every output port has a location that is a URI (scheme://...)",
       "A location without a scheme does not say which system holds the data.", json::object(),
       "outputPorts:\n  - location: /data/orders", "outputPorts:\n  - location: s3://sales/orders/"},
      {"MESH-PORT-SCHEMA", Severity::error, "every output port has schema.fields with at least one field",
       "The schema is the contract with consumers; without it no change can be checked for compatibility.",
       json::object(), "outputPorts:\n  - name: orders-table\n    schema: { fields: [] }",
       "outputPorts:\n  - name: orders-table\n    schema:\n      fields:\n        - { name: order_id, type: string, "
       "... }"},
      {"MESH-FIELD-NAME",
       Severity::error,
       "every schema field has a name in the `casing` convention",
       "One naming convention lets consumers join and query products without renaming columns.",
       {{"casing", "snake"}},
       "fields:\n  - name: OrderId",
       "fields:\n  - name: order_id"},
      {"MESH-FIELD-NAMES-UNIQUE", Severity::error, "field names are unique within each schema level",
       "Two columns with one name make every query on them ambiguous.", json::object(),
       "fields:\n  - name: id\n  - name: id", "fields:\n  - name: id\n  - name: legacy_id"},
      {"MESH-FIELD-TYPE",
       Severity::error,
       "every field has a type from `types`; only object and array fields have nested fields",
       "The type is what compatibility checks and consumers' code rely on.",
       {{"types",
         {"string", "integer", "long", "float", "double", "decimal", "boolean", "date", "timestamp", "bytes", "array",
          "object"}}},
       "fields:\n  - { name: amount, type: money }",
       "fields:\n  - { name: amount, type: decimal }"},
      {"MESH-FIELD-DESCRIPTION", Severity::error, "every field has a non-empty description",
       "A column's meaning is rarely obvious from its name; consumers misuse undocumented fields.", json::object(),
       "fields:\n  - { name: amount, type: decimal }",
       "fields:\n  - { name: amount, type: decimal, description: Gross amount in EUR }"},
      {"MESH-FIELD-CLASSIFICATION",
       Severity::error,
       "a field's classification is one of `levels` (and present when `required`)",
       "Access control and retention follow the classification; an unknown level protects nothing.",
       {{"levels", kClassificationLevels}, {"required", false}},
       "fields:\n  - { name: email, classification: secret }",
       "fields:\n  - { name: email, classification: confidential }"},
      {"MESH-PII-CLASS",
       Severity::error,
       "a field marked pii: true is classified `minimum` or stricter",
       "Personal data must be protected by law (GDPR and the like); the classification drives that protection.",
       {{"minimum", "confidential"}},
       "fields:\n  - { name: customer_email, pii: true, classification: internal }",
       "fields:\n  - { name: customer_email, pii: true, classification: confidential }"},
      {"MESH-SLO", Severity::error, "every output port declares its service levels (slo)",
       "Consumers build on a port only when they know how fresh and how available it is.", json::object(),
       "outputPorts:\n  - name: orders-table",
       "outputPorts:\n  - name: orders-table\n    slo: { freshness: 1h, availability: \"99.9%\" }"},
      {"MESH-SLO-FRESHNESS", Severity::error, "slo.freshness is a duration: a number and s, m, h or d (15m, 1h, 7d)",
       "Freshness is monitored against this value; free text cannot be monitored.", json::object(),
       "slo: { freshness: 15 minutes }", "slo: { freshness: 15m }"},
      {"MESH-SLO-AVAILABILITY", Severity::error,
       "slo.availability is a percentage from 0 to 100, as a string (\"99.9%\")",
       "Availability is monitored against this value; it must be a number with a unit to be compared.", json::object(),
       "slo: { availability: high }", "slo: { availability: \"99.9%\" }"},
      {"MESH-INPUT-PRODUCT",
       Severity::error,
       "every input port names the product it reads as domain/name, both kebab-case (domain from `domains` when set)",
       "Lineage, impact analysis and retirement checks follow these references.",
       {{"domains", json::array()}},
       "inputPorts:\n  - { name: orders-in, product: orders }",
       "inputPorts:\n  - { name: orders-in, product: sales/orders }"},
      {"MESH-INPUT-VERSION", Severity::error,
       "every input port has a version constraint: ^2, ~1.4, >=3.1.0, >2, <=1, <3.0, =1.2.3 or 2.0.1",
       "Without a constraint, a breaking release of the upstream product breaks this one unannounced.", json::object(),
       "inputPorts:\n  - { product: sales/orders, version: latest }",
       "inputPorts:\n  - { product: sales/orders, version: \"^2\" }"},
      {"MESH-INPUT-SELF", Severity::error, "no input port reads the product itself",
       "A product that reads its own output has a cycle in its lineage and can never be rebuilt from scratch.",
       json::object(), "metadata: { name: orders, domain: sales }\nspec:\n  inputPorts:\n    - product: sales/orders",
       "spec:\n  inputPorts:\n    - product: sales/order-events"},
      {"MESH-QUALITY-RULE",
       Severity::error,
       "every quality rule has a known kind and the settings that kind needs (field, min/max, pattern, values, query)",
       "A quality rule that cannot be evaluated gives a false sense of safety.",
       {{"kinds", {"not_null", "unique", "row_count", "range", "pattern", "accepted_values", "freshness", "sql"}}},
       "quality:\n  - { rule: not_null }",
       "quality:\n  - { rule: not_null, field: order_id }"},
      {"MESH-QUALITY-FIELD", Severity::error, "a quality rule's field names a field of the same output port",
       "A rule on a field that does not exist is never evaluated; usually the field was renamed.", json::object(),
       "fields: [{ name: order_id }]\nquality:\n  - { rule: unique, field: orderid }",
       "fields: [{ name: order_id }]\nquality:\n  - { rule: unique, field: order_id }"},
      {"MESH-DUPLICATE",
       Severity::warning,
       "no registered product has output schemas at least `threshold` similar (0 to 1), nor the same output location "
       "(checked by the registry, with its standards, on apply, create and evolve; see meshctl similar)",
       "A copy of an existing product under a new name doubles the pipelines, the costs and the questions about "
       "which one is right; two products writing to one location overwrite each other.",
       {{"threshold", 0.8}},
       "# sales/orders is registered with order_id, customer_email, amount at s3://sales/orders/\n"
       "metadata: { name: orders-copy, domain: sales }\n"
       "outputPorts:\n  - location: s3://sales/orders/\n    schema: { fields: [order_id, customerEmail, amount] }",
       "# read sales/orders through an input port instead, or publish what differs at a location of its own\n"
       "inputPorts:\n  - { name: orders, product: sales/orders, version: \"^1\" }"},
  };
}

std::vector<std::string> strings(const json& value) {
  std::vector<std::string> out;
  for (const auto& item : value) out.push_back(item.get<std::string>());
  return out;
}

const json& param(const std::vector<RuleState>& builtin, BuiltinRule rule, const char* name) {
  return builtin[static_cast<std::size_t>(rule)].params.at(name);
}

}  // namespace

const std::vector<RuleInfo>& builtin_rules() {
  static const std::vector<RuleInfo> rules = [] {
    auto catalog = make_catalog();
    if (catalog.size() != kBuiltinRuleCount) std::abort();  // the catalog and BuiltinRule disagree
    return catalog;
  }();
  return rules;
}

const RuleInfo* find_builtin_rule(std::string_view id) {
  const auto& rules = builtin_rules();
  auto found = std::find_if(rules.begin(), rules.end(), [&](const RuleInfo& rule) { return rule.id == id; });
  return found == rules.end() ? nullptr : &*found;
}

RuleSet default_rule_set(bool enabled) {
  RuleSet set;
  for (const auto& info : builtin_rules()) {
    set.builtin.push_back(RuleState{enabled, info.severity, info.params.is_object() ? info.params : json::object()});
  }
  set.params = compile_params(set.builtin);
  return set;
}

BuiltinParams compile_params(const std::vector<RuleState>& builtin) {
  BuiltinParams p;
  p.name_max_length = param(builtin, BuiltinRule::name_format, "maxLength").get<std::size_t>();
  p.allowed_domains = strings(param(builtin, BuiltinRule::domain_format, "allowed"));
  p.description_min_length = param(builtin, BuiltinRule::description, "minLength").get<std::size_t>();
  p.port_types = strings(param(builtin, BuiltinRule::port_type, "types"));
  p.port_formats = strings(param(builtin, BuiltinRule::port_format, "formats"));
  p.field_name_casing =
      parse_casing(param(builtin, BuiltinRule::field_name, "casing").get<std::string>()).value_or(Casing::any);
  p.field_types = strings(param(builtin, BuiltinRule::field_type, "types"));
  p.classification_levels = strings(param(builtin, BuiltinRule::field_classification, "levels"));
  p.classification_required = param(builtin, BuiltinRule::field_classification, "required").get<bool>();
  p.pii_minimum = param(builtin, BuiltinRule::pii_class, "minimum").get<std::string>();
  p.input_domains = strings(param(builtin, BuiltinRule::input_product, "domains"));
  p.label_value_max_length = param(builtin, BuiltinRule::labels, "maxValueLength").get<std::size_t>();
  p.compatibility_modes = strings(param(builtin, BuiltinRule::compatibility, "modes"));
  p.quality_kinds = strings(param(builtin, BuiltinRule::quality_rule, "kinds"));
  return p;
}

std::optional<Casing> parse_casing(std::string_view name) {
  if (name == "any") return Casing::any;
  if (name == "kebab") return Casing::kebab;
  if (name == "snake") return Casing::snake;
  if (name == "camel") return Casing::camel;
  if (name == "pascal") return Casing::pascal;
  if (name == "upper-snake") return Casing::upper_snake;
  return std::nullopt;
}

bool has_casing(std::string_view text, Casing casing) {
  switch (casing) {
    case Casing::any: return true;
    case Casing::kebab: return is_kebab_case(text);
    case Casing::snake: return is_snake_case(text);
    case Casing::camel: return is_camel_case(text);
    case Casing::pascal: return is_pascal_case(text);
    case Casing::upper_snake: return is_upper_snake_case(text);
  }
  return false;
}

const char* casing_example(Casing casing) {
  switch (casing) {
    case Casing::any: return "any casing";
    case Casing::kebab: return "kebab-case (order-lines)";
    case Casing::snake: return "snake_case (order_id)";
    case Casing::camel: return "camelCase (orderId)";
    case Casing::pascal: return "PascalCase (OrderId)";
    case Casing::upper_snake: return "UPPER_SNAKE_CASE (ORDER_ID)";
  }
  return "";
}

}  // namespace meshctl::standards
