#include "meshctl/manifest/starter.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <fmt/format.h>

#include "meshctl/core/text.h"
#include "meshctl/manifest/shape.h"
#include "meshctl/yaml/emit.h"

namespace meshctl::manifest {

namespace {

// The longest name the built-in standard accepts (MESH-NAME-FORMAT's default maxLength): names
// become parts of DNS labels, topics and tables.
constexpr std::size_t kMaxNameLength = 63;

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii_alnum(char c) {
  return is_ascii_letter(c) || (c >= '0' && c <= '9');
}

// local@domain.tld, with the characters mail systems accept unquoted: the form the built-in
// MESH-OWNER-EMAIL rule checks.
bool is_email_address(std::string_view text) {
  const auto at = text.find('@');
  if (at == 0 || at == std::string_view::npos) return false;
  const auto local = text.substr(0, at);
  const auto domain = text.substr(at + 1);
  const auto local_ok = [](char c) {
    return is_ascii_alnum(c) || std::string_view("._%+-").find(c) != std::string_view::npos;
  };
  const auto domain_ok = [](char c) { return is_ascii_alnum(c) || c == '.' || c == '-'; };
  if (!std::all_of(local.begin(), local.end(), local_ok) || !std::all_of(domain.begin(), domain.end(), domain_ok)) {
    return false;
  }
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const auto top = domain.substr(dot + 1);
  return top.size() >= 2 && std::all_of(top.begin(), top.end(), is_ascii_letter);
}

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::optional<StarterProblem> check_kebab(StarterField field, std::string_view what, const std::string& value,
                                          std::string_view example) {
  if (value.empty()) return StarterProblem{field, fmt::format("the {} is empty: give one, e.g. '{}'", what, example)};
  if (!is_kebab_case(value)) {
    return StarterProblem{field, fmt::format("{} '{}' is not kebab-case: use lowercase letters, digits and '-', "
                                             "starting with a letter, e.g. '{}'",
                                             what, value, example)};
  }
  return std::nullopt;
}

std::optional<StarterProblem> check_text(StarterField field, std::string_view what, const std::string& value) {
  if (trimmed(value).empty())
    return StarterProblem{field, fmt::format("the {} is empty: leave it out or write one", what)};
  if (has_control_character(value)) {
    return StarterProblem{field, fmt::format("the {} holds a control character (a line break, a tab...): write it "
                                             "on one line",
                                             what)};
  }
  return std::nullopt;
}

// "order-lines" -> "Order lines".
std::string title_from_name(const std::string& name) {
  std::string title = name;
  std::replace(title.begin(), title.end(), '-', ' ');
  if (!title.empty()) title.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(title.front())));
  return title;
}

// The first field of the schema: the product's key, named after it ("order-lines" -> "order_line_id"
// would guess at English plurals, so simply "<name>_id" with '-' as '_').
std::string key_field_name(const std::string& name) {
  std::string field = name;
  std::replace(field.begin(), field.end(), '-', '_');
  return field + "_id";
}

}  // namespace

std::optional<StarterProblem> check_starter_options(const StarterOptions& options) {
  if (auto problem = check_kebab(StarterField::name, "name", options.name, "orders")) return problem;
  if (options.name.size() > kMaxNameLength) {
    return StarterProblem{StarterField::name, fmt::format("the name has {} characters: use at most {}",
                                                          options.name.size(), kMaxNameLength)};
  }
  if (auto problem = check_kebab(StarterField::domain, "domain", options.domain, "sales")) return problem;
  if (auto problem = check_kebab(StarterField::owner_team, "owner team", options.owner_team, "sales-data")) {
    return problem;
  }
  if (!is_email_address(options.owner_email)) {
    return StarterProblem{
        StarterField::owner_email,
        fmt::format("'{}' is not an email address: write it as team@example.com", options.owner_email)};
  }
  if (options.title) {
    if (auto problem = check_text(StarterField::title, "title", *options.title)) return problem;
  }
  if (options.description) {
    if (auto problem = check_text(StarterField::description, "description", *options.description)) return problem;
  }
  return std::nullopt;
}

std::string starter_manifest(const StarterOptions& options) {
  const std::string title = options.title ? trimmed(*options.title) : title_from_name(options.name);
  const std::string description = options.description
                                      ? trimmed(*options.description)
                                      : fmt::format(
                                            "Describe {} here: what one record is, where the data comes from and how "
                                            "often it is refreshed.",
                                            options.name);
  const std::string key_field = key_field_name(options.name);
  return fmt::format(
      R"(# A data product manifest: fill it in, then check it with `meshctl validate FILE`.
# `meshctl schema` prints the JSON Schema of this format for editors.
apiVersion: {api_version}
kind: {kind}
metadata:
  name: {name}
  domain: {domain}
  version: 0.1.0                 # semantic version: bump it with every published change
  title: {title}
  description: {description}
  owner:
    team: {team}
    email: {email}
  tags: [{name}]
  # labels: {{ tier: gold }}
spec:
  compatibility: forward         # backward | full | none, and the _transitive variants
  # inputPorts:                  # the products this one reads
  #   - name: upstream-events
  #     product: other-domain/upstream-events
  #     version: "^1"
  outputPorts:
    - name: {name}
      type: table                # table | topic | file | api
      format: parquet            # parquet | avro | json | csv | delta | iceberg | protobuf
      location: s3://{domain}/{name}/   # where consumers read it: replace with yours
      schema:
        fields:
          - name: {key_field}
            type: string
            required: true
            unique: true
            description: Identifies one record
            classification: internal   # public | internal | confidential | restricted
          - name: updated_at
            type: timestamp
            required: true
            description: When the record last changed
            classification: internal
      slo:
        freshness: 1d            # how old the data may get: 15m, 1h, 1d
        availability: "99%"
      quality:
        - rule: not_null
          field: {key_field}
        - rule: unique
          field: {key_field}
)",
      fmt::arg("api_version", kApiVersion), fmt::arg("kind", kDataProductKind), fmt::arg("name", options.name),
      fmt::arg("domain", options.domain), fmt::arg("title", yaml::yaml_string(title)),
      fmt::arg("description", yaml::yaml_string(description)), fmt::arg("team", options.owner_team),
      fmt::arg("email", yaml::yaml_string(options.owner_email)), fmt::arg("key_field", key_field));
}

std::string starter_standards() {
  return fmt::format(R"(# The platform's standards: `meshctl validate` checks every manifest in this folder and the
# folders below it against this file. `meshctl standards list` shows the rules in force,
# `meshctl standards explain RULE` why one exists.
apiVersion: {api_version}
kind: Standards
extends: default                 # the built-in rules; `none` starts empty

# Built-in rules: turn one off, change its severity (error | warning | info), or set its parameters.
# rules:
#   MESH-SLO-FRESHNESS: off
#   MESH-DESCRIPTION: {{ severity: warning, params: {{ minLength: 40 }} }}

# The platform's own rules. `given` is a path into the manifest ([*] matches every item of a list
# or map); `check` is one of required, forbidden, pattern, enum, minLength, maxLength, casing.
# custom:
#   - id: ACME-COST-CENTER
#     severity: error
#     message: every data product names the cost center that pays for it
#     given: metadata.labels
#     check: {{ field: cost-center, required: true }}
#   - id: ACME-FIELD-SNAKE-CASE
#     severity: warning
#     message: field names are snake_case
#     given: spec.outputPorts[*].schema.fields[*].name
#     check: {{ casing: snake }}

# Per-domain differences, applied after the rules above.
# overrides:
#   - domains: [finance]
#     rules: {{ ACME-COST-CENTER: {{ severity: warning }} }}
)",
                     fmt::arg("api_version", kApiVersion));
}

}  // namespace meshctl::manifest
