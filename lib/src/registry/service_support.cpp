#include "registry/service_support.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "meshctl/core/json_text.h"
#include "meshctl/core/semver.h"
#include "meshctl/core/text.h"

namespace meshctl::registry::service_support {

namespace {

// Identities become URL segments, table and topic names, and lines on a
// terminal: the registry takes the grammar of the default standard for them,
// whatever standards a client checked against.
constexpr std::size_t kMaxIdentityLength = 63;

bool is_identity(std::string_view text) {
  return text.size() <= kMaxIdentityLength && is_kebab_case(text);
}

// Why `text` cannot be stored as text: a control character (tab and line
// breaks aside) or bytes that are not UTF-8; nullopt when it can.
std::optional<std::string> text_problem(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto character = decode_utf8(text, i);
    if (!character) return fmt::format("holds bytes that are not UTF-8 at byte {}", i + 1);
    const auto code = static_cast<std::uint32_t>(character->code_point);
    if ((code < 0x20 && code != '\t' && code != '\n' && code != '\r') || (code >= 0x7f && code < 0xa0)) {
      return fmt::format("holds the control character U+{:04X} at byte {}", code, i + 1);
    }
    i += character->length;
  }
  return std::nullopt;
}

// A string of a JSON value (a key, when in_key) that cannot be stored as text: where it is below the value
// (".a[2].b"; for a key, the mapping that holds it) and why.
struct TextProblem {
  std::string path;
  std::string problem;
  bool in_key = false;
};

// The first such string of `value`. The path is built on the way out, for the one found only.
std::optional<TextProblem> first_text_problem(const nlohmann::json& value) {
  if (value.is_string()) {
    if (auto problem = text_problem(value.get_ref<const std::string&>())) return TextProblem{"", *problem};
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (auto problem = text_problem(key)) return TextProblem{"", *problem, true};
      if (auto found = first_text_problem(item)) {
        found->path = "." + key + found->path;
        return found;
      }
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (auto found = first_text_problem(value[i])) {
        found->path = fmt::format("[{}]{}", i, found->path);
        return found;
      }
    }
  }
  return std::nullopt;
}

// `json`: the manifest's JSON value (manifest::to_json).
Status check_identity(const manifest::DataProduct& manifest, const nlohmann::json& json) {
  const auto& metadata = manifest.metadata;
  for (const auto& [what, value] : {std::pair{"metadata.domain", &metadata.domain}, {"metadata.name", &metadata.name}}) {
    if (!is_identity(*value)) {
      return make_error(ErrorKind::invalid,
                        fmt::format("{} '{}' is not a registry name: use kebab-case (lowercase letters, digits and "
                                    "'-'), at most {} characters, e.g. order-lines",
                                    what, text_problem(*value) ? "(not printable)" : *value, kMaxIdentityLength),
                        {{"field", what}});
    }
  }
  for (std::size_t i = 0; i < manifest.spec.input_ports.size(); ++i) {
    const auto& product = manifest.spec.input_ports[i].product;
    if (!product) continue;
    const auto ref = parse_product_ref(*product);
    if (ref.ok() && is_identity(ref->domain) && is_identity(ref->name)) continue;
    return make_error(ErrorKind::invalid,
                      fmt::format("{}/{}: spec.inputPorts[{}].product is not DOMAIN/NAME in kebab-case, e.g. "
                                  "sales/orders",
                                  metadata.domain, metadata.name, i),
                      {{"product", metadata.domain + "/" + metadata.name}});
  }
  if (auto found = first_text_problem(json)) {
    const auto where = "the manifest" + found->path;
    const auto problem = found->in_key ? fmt::format("a key of {} {}", where, found->problem)
                                       : fmt::format("{} {}", where, found->problem);
    return make_error(ErrorKind::invalid,
                      fmt::format("{}/{}: {}: write it without control characters, as UTF-8", metadata.domain,
                                  metadata.name, problem),
                      {{"product", metadata.domain + "/" + metadata.name}});
  }
  return ok_status();
}

}  // namespace

Result<ManifestFacts> facts_of(const manifest::DataProduct& manifest) {
  const auto& metadata = manifest.metadata;
  const auto json = manifest::to_json(manifest);
  if (auto identity = check_identity(manifest, json); !identity.ok()) return identity.error();
  ManifestFacts facts;
  facts.ref = {metadata.domain, metadata.name};
  if (!parse_version(metadata.version)) {
    return make_error(ErrorKind::invalid,
                      fmt::format("{}: metadata.version '{}' is not a semantic version: write MAJOR.MINOR.PATCH, "
                                  "e.g. 1.2.0",
                                  facts.ref.text(), metadata.version),
                      {{"product", facts.ref.text()}, {"version", metadata.version}});
  }
  facts.version = metadata.version;
  if (metadata.owner) facts.owner = {metadata.owner->team.value_or(""), metadata.owner->email.value_or("")};
  facts.labels = metadata.labels;
  for (std::size_t index = 0; index < manifest.spec.input_ports.size(); ++index) {
    const auto& port = manifest.spec.input_ports[index];
    if (!port.product) continue;
    auto provider = parse_product_ref(*port.product);
    if (!provider.ok()) {
      return make_error(
          ErrorKind::invalid,
          fmt::format("{}: input port '{}': {}", facts.ref.text(), port.name.value_or(""), provider.error().message),
          {{"product", facts.ref.text()}});
    }
    facts.inputs.push_back(
        {facts.ref, port.name.value_or(""), *provider, port.version.value_or(""), LifecycleStatus::active});
    facts.input_indexes.push_back(index);
  }
  facts.terms = manifest::field_terms(manifest);
  facts.canonical_json = json_text(json);  // manifest::canonical_text, from the value made above
  facts.hash = content_hash(facts.canonical_json);
  return facts;
}

Result<VersionRecord> require_version(StoreTransaction& transaction, const ProductRef& ref,
                                      const std::string& version) {
  auto found = transaction.find_version(ref, version);
  if (!found.ok()) return found.error();
  if (found->has_value()) return std::move(**found);
  std::vector<std::string> published;
  if (auto versions = transaction.list_versions(ref); versions.ok()) {
    for (const auto& record : *versions) published.push_back(record.version);
  }
  return make_error(ErrorKind::not_found,
                    fmt::format("no version {} of {} (published: {})", version, ref.text(), fmt::join(published, ", ")),
                    {{"product", ref.text()}, {"version", version}, {"published", published}});
}

Error product_not_found(StoreTransaction& transaction, const ProductRef& ref) {
  const nlohmann::json details = {{"product", ref.text()}};
  auto domain = transaction.find_domain(ref.domain);
  if (domain.ok() && !domain->has_value()) {
    return make_error(
        ErrorKind::not_found,
        fmt::format("no product {}: there is no domain '{}' (meshctl get domains lists them)", ref.text(), ref.domain),
        details);
  }
  // A "did you mean" among the domain's first products: bounded work on a rare path.
  ProductPageRequest request;
  request.filter.domain = ref.domain;
  request.limit = 1000;
  auto page = transaction.list_products(request);
  std::optional<std::string> suggestion;
  if (page.ok()) {
    std::vector<std::string_view> names;
    for (const auto& product : page->products) names.push_back(product.ref.name);
    suggestion = closest_match(ref.name, names);
  }
  if (suggestion) {
    return make_error(ErrorKind::not_found,
                      fmt::format("no product {}: did you mean {}/{}?", ref.text(), ref.domain, *suggestion), details);
  }
  return make_error(ErrorKind::not_found,
                    fmt::format("no product {} (meshctl get products --domain {} lists that domain's products)",
                                ref.text(), ref.domain),
                    details);
}

Result<ProductRecord> require_product(StoreTransaction& transaction, const ProductRef& ref) {
  auto found = transaction.find_product(ref);
  if (!found.ok()) return found.error();
  if (!found->has_value()) return product_not_found(transaction, ref);
  return std::move(**found);
}

namespace {

std::string principal_text(const PrincipalRecord& principal) {
  if (principal.role != Role::owner) return fmt::format("{} ({})", principal.name, to_string(principal.role));
  return fmt::format("{} (owner of {})", principal.name, fmt::join(principal.domains, ", "));
}

}  // namespace

Status authorize_write(const Caller& caller, const std::string& domain, std::string_view attempted) {
  if (!caller.principal) return ok_status();
  const PrincipalRecord& principal = *caller.principal;
  if (principal.role == Role::admin) return ok_status();
  if (principal.role == Role::owner &&
      std::find(principal.domains.begin(), principal.domains.end(), domain) != principal.domains.end()) {
    return ok_status();
  }
  return make_error(ErrorKind::forbidden,
                    fmt::format("{} may not {}: writes in domain '{}' need an admin or an owner of '{}' (an admin "
                                "grants it with meshctl token create --role owner --domain {})",
                                principal_text(principal), attempted, domain, domain, domain),
                    {{"domain", domain},
                     {"principal", principal.name},
                     {"role", to_string(principal.role)},
                     {"attempted", std::string(attempted)}});
}

Status authorize_admin(const Caller& caller, std::string_view attempted) {
  if (!caller.principal || caller.principal->role == Role::admin) return ok_status();
  const PrincipalRecord& principal = *caller.principal;
  return make_error(ErrorKind::forbidden,
                    fmt::format("{} may not {}: only an admin may", principal_text(principal), attempted),
                    {{"principal", principal.name},
                     {"role", to_string(principal.role)},
                     {"attempted", std::string(attempted)}});
}

Status require_domain(StoreTransaction& transaction, const Caller& caller, const std::string& domain) {
  if (!caller.principal) return ok_status();
  auto found = transaction.find_domain(domain);
  if (!found.ok()) return found.error();
  if (found->has_value()) return ok_status();
  return make_error(ErrorKind::not_found,
                    fmt::format("domain {} does not exist: an admin creates it with meshctl domain create {} "
                                "--owner-team TEAM",
                                domain, domain),
                    {{"domain", domain}});
}

Error record_refusal(Store& store, const Caller& caller, const ProductRef& ref, const Error& refusal,
                     const std::string& now) {
  const std::string actor = caller.principal ? caller.principal->name : caller.actor;
  std::string summary = refusal.message;
  if (refusal.details.is_object() && refusal.details.contains("attempted")) {
    const auto needed = refusal.details.contains("needs") ? refusal.details["needs"].get<std::string>()
                        : refusal.details.contains("domain")
                            ? fmt::format("admin or owner of {}", refusal.details["domain"].get<std::string>())
                            : std::string("admin");
    summary = fmt::format("refused: {} (needs {}; has {})", refusal.details["attempted"].get<std::string>(), needed,
                          refusal.details["role"].get<std::string>());
  }
  (void)in_write_transaction<Unit>(store, [&](StoreTransaction& transaction) -> Result<Unit> {
    auto id = transaction.append_audit({0, now, actor, "forbidden", ref, "", summary});
    if (!id.ok()) return id.error();
    return Unit{};
  });
  return refusal;
}

Status authorize_publish(Store& store, const Caller& caller, const std::vector<ManifestFacts>& batch,
                         std::string_view verb, const std::string& now) {
  std::optional<Error> first;
  ProductRef first_ref;
  std::size_t refused = 0;
  for (const auto& facts : batch) {
    auto allowed =
        authorize_write(caller, facts.ref.domain, fmt::format("{} {}@{}", verb, facts.ref.text(), facts.version));
    if (allowed.ok()) continue;
    if (refused++ == 0) {
      first = allowed.error();
      first_ref = facts.ref;
    }
  }
  if (!first) return ok_status();
  // One audit event per refused request, however many manifests it carried:
  // a caller cannot grow the audit log faster than it sends requests.
  if (refused > 1) {
    first->details["attempted"] =
        fmt::format("{} and {} more", first->details["attempted"].get<std::string>(), refused - 1);
  }
  return record_refusal(store, caller, first_ref, *first, now);
}

Status require_domains(StoreTransaction& transaction, const Caller& caller, const std::vector<ManifestFacts>& batch) {
  for (const auto& facts : batch) {
    if (auto status = require_domain(transaction, caller, facts.ref.domain); !status.ok()) return status;
  }
  return ok_status();
}

}  // namespace meshctl::registry::service_support
