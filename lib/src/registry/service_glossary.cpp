// RegistryService: the business glossary (`kind: Glossary`): publishing glossaries, reading terms, and
// the rule that a product's field terms name terms of a glossary.

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "meshctl/catalog/json.h"
#include "meshctl/core/semver.h"
#include "meshctl/core/text.h"
#include "meshctl/registry/service.h"
#include "registry/service_support.h"

namespace meshctl::registry {

namespace {

using service_support::in_read_transaction;
using service_support::in_write_transaction;

// The most products describe_term reads bindings from: far above any mesh's products bound to one term.
constexpr std::size_t kMaxBoundProducts = 100000;

Status check_glossary_identity(const manifest::Glossary& glossary) {
  const auto& metadata = glossary.metadata;
  const auto id = glossary.id();
  if (!is_kebab_case(metadata.domain) || !is_kebab_case(metadata.name)) {
    return make_error(ErrorKind::invalid,
                      fmt::format("glossary '{}': metadata.domain and metadata.name must be kebab-case", id),
                      {{"glossary", id}});
  }
  if (!parse_version(metadata.version)) {
    return make_error(ErrorKind::invalid,
                      fmt::format("glossary {}: metadata.version '{}' is not a semantic version: write "
                                  "MAJOR.MINOR.PATCH, e.g. 1.0.0",
                                  id, metadata.version),
                      {{"glossary", id}, {"version", metadata.version}});
  }
  std::set<std::string> names;
  for (const auto& term : glossary.terms) {
    if (term.name.empty() || !names.insert(term.name).second) {
      return make_error(ErrorKind::invalid,
                        fmt::format("glossary {}: term '{}' is empty or defined twice: keep one", id, term.name),
                        {{"glossary", id}, {"term", term.name}});
    }
    if (std::find(std::begin(manifest::kTermStatuses), std::end(manifest::kTermStatuses), term.status) ==
        std::end(manifest::kTermStatuses)) {
      return make_error(ErrorKind::invalid,
                        fmt::format("glossary {}: term '{}' has status '{}': give draft, active or deprecated", id,
                                    term.name, term.status),
                        {{"glossary", id}, {"term", term.name}});
    }
  }
  return ok_status();
}

// The terms of `document_json` (a stored glossary version) by name; unavailable when it does not decode.
Result<std::set<std::string>> stored_term_names(const std::string& id, const std::string& document_json) {
  auto decoded = manifest::glossary_from_json(nlohmann::json::parse(document_json, nullptr, false));
  if (!decoded) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("the stored latest version of glossary {} does not decode: {}", id,
                                  decoded.error().message));
  }
  std::set<std::string> names;
  for (const auto& term : decoded->terms) names.insert(term.name);
  return names;
}

// What publishing `glossary` would do now, or why it is refused.
Result<GlossaryChange> decide_glossary(StoreTransaction& transaction, const manifest::Glossary& glossary,
                                       const std::string& canonical, const std::string& hash) {
  const auto& metadata = glossary.metadata;
  const auto id = glossary.id();
  GlossaryChange change{metadata.domain, metadata.name, ChangeAction::created, "", metadata.version, 0,
                        static_cast<std::int64_t>(glossary.terms.size())};
  auto found = transaction.find_glossary(metadata.domain, metadata.name);
  if (!found.ok()) return found.error();
  if (found->has_value()) {
    const GlossaryRecord& existing = **found;
    change.revision = existing.revision;
    auto published = transaction.find_glossary_version(metadata.domain, metadata.name, metadata.version);
    if (!published.ok()) return published.error();
    if (published->has_value()) {
      if ((*published)->content_hash == hash && (*published)->document_json == canonical) {
        change.action = ChangeAction::unchanged;
        return change;
      }
      return make_error(ErrorKind::conflict,
                        fmt::format("version {} of glossary {} is already published with different terms, and "
                                    "published versions never change: bump metadata.version above {}",
                                    metadata.version, id, existing.latest_version),
                        {{"glossary", id}, {"version", metadata.version}, {"latestVersion", existing.latest_version}});
    }
    const auto latest = parse_version(existing.latest_version);
    const auto candidate = parse_version(metadata.version);
    if (latest && candidate && compare_versions(*candidate, *latest) <= 0) {
      return make_error(ErrorKind::conflict,
                        fmt::format("version {} of glossary {} is not greater than {}, its highest published "
                                    "version: publish a version above {}",
                                    metadata.version, id, existing.latest_version, existing.latest_version),
                        {{"glossary", id}, {"version", metadata.version}, {"latestVersion", existing.latest_version}});
    }
    // A removed (or renamed) term breaks every field bound to it: a major step, as a removed field.
    auto previous = transaction.find_glossary_version(metadata.domain, metadata.name, existing.latest_version);
    if (!previous.ok()) return previous.error();
    if (previous->has_value() && latest && candidate && candidate->major == latest->major) {
      auto names = stored_term_names(id, (*previous)->document_json);
      if (!names.ok()) return names.error();
      std::vector<std::string> removed;
      for (const auto& name : *names) {
        const bool kept = std::any_of(glossary.terms.begin(), glossary.terms.end(),
                                      [&](const manifest::GlossaryTerm& term) { return term.name == name; });
        if (!kept) removed.push_back(name);
      }
      if (!removed.empty()) {
        return make_error(ErrorKind::conflict,
                          fmt::format("glossary {} {} removes {} {} of {}: a removed term breaks the fields bound "
                                      "to it, so it needs a new major version ({}.0.0); or keep it with status: "
                                      "deprecated",
                                      id, metadata.version, removed.size() == 1 ? "term" : "terms",
                                      fmt::join(removed, ", "), existing.latest_version, latest->major + 1),
                          {{"glossary", id}, {"removedTerms", removed}, {"requiredBump", "major"}});
      }
    }
    change.action = ChangeAction::evolved;
    change.from_version = existing.latest_version;
  }
  for (const auto& term : glossary.terms) {
    auto other = transaction.find_term(term.name);
    if (!other.ok()) return other.error();
    if (other->has_value() && ((*other)->domain != metadata.domain || (*other)->glossary != metadata.name)) {
      return make_error(ErrorKind::conflict,
                        fmt::format("term '{}' is already defined by glossary {}/{}: term names are unique across "
                                    "the mesh, so name it differently or edit it there",
                                    term.name, (*other)->domain, (*other)->glossary),
                        {{"glossary", id}, {"term", term.name}, {"definedBy", (*other)->domain + "/" + (*other)->glossary}});
    }
  }
  return change;
}

// Every field of the products bound to `name` (their field's `term:` says exactly `name`), added to `out`.
Status collect_bindings(StoreTransaction& transaction, const std::string& name, std::vector<TermBinding>& out) {
  SearchSelection selection;
  selection.filter.term = name;
  selection.limit = kMaxBoundProducts;
  auto candidates = transaction.search_products(selection);
  if (!candidates.ok()) return candidates.error();
  for (const auto& candidate : *candidates) {
    const auto& ref = candidate.product.ref;
    auto manifest = decode_stored_manifest(ref, candidate.product.latest_version, candidate.manifest_json);
    if (!manifest.ok()) return manifest.error();
    for (const auto& field : manifest::field_terms(*manifest)) {
      if (field.term == name) out.push_back({ref, candidate.product.latest_version, field.port, field.field, name});
    }
  }
  return ok_status();
}

// The term a synonym names, among `terms`; nullptr when it is no synonym.
const TermRecord* term_of_synonym(const std::vector<TermRecord>& terms, const std::string& synonym) {
  for (const auto& term : terms) {
    if (std::find(term.term.synonyms.begin(), term.term.synonyms.end(), synonym) != term.term.synonyms.end()) {
      return &term;
    }
  }
  return nullptr;
}

}  // namespace

namespace service_support {

Status check_field_terms(StoreTransaction& transaction, const ManifestFacts& facts) {
  if (facts.terms.empty()) return ok_status();
  auto terms = transaction.list_terms(std::nullopt);
  if (!terms.ok()) return terms.error();
  std::set<std::string> known;
  for (const auto& term : *terms) {
    known.insert(term.term.name);
    known.insert(term.term.synonyms.begin(), term.term.synonyms.end());
  }
  nlohmann::json unknown = nlohmann::json::array();
  std::vector<std::string> messages;
  for (const auto& field : facts.terms) {
    if (known.contains(field.term)) continue;
    std::vector<std::string_view> names;
    for (const auto& term : *terms) names.push_back(term.term.name);
    const auto match = closest_match(field.term, names);
    auto message = fmt::format("field '{}' of port '{}' names term '{}', which no glossary defines{}", field.field,
                               field.port, field.term,
                               match ? fmt::format(": did you mean '{}'?", *match)
                                     : std::string(": apply the glossary that defines it first (meshctl get terms)"));
    unknown.push_back({{"product", facts.ref.text()},
                       {"port", field.port},
                       {"field", field.field},
                       {"term", field.term},
                       {"rule", "MESH-TERM-UNKNOWN"},
                       {"message", message}});
    messages.push_back(std::move(message));
  }
  if (messages.empty()) return ok_status();
  return make_error(ErrorKind::conflict,
                    fmt::format("{}@{}: {}{}", facts.ref.text(), facts.version, messages.front(),
                                messages.size() > 1 ? fmt::format(" (and {} more)", messages.size() - 1) : ""),
                    {{"product", facts.ref.text()}, {"unknownTerms", unknown}});
}

}  // namespace service_support

Result<GlossaryChange> RegistryService::publish_glossary(const Caller& caller, const manifest::Glossary& glossary,
                                                         bool dry_run) {
  if (auto identity = check_glossary_identity(glossary); !identity.ok()) return identity.error();
  const auto& metadata = glossary.metadata;
  const auto now = format_utc(clock_.now());
  const ProductRef domain_ref{metadata.domain, ""};
  if (auto allowed = service_support::authorize_write(
          caller, metadata.domain, fmt::format("publish glossary {}@{}", glossary.id(), metadata.version));
      !allowed.ok()) {
    return service_support::record_refusal(store_, caller, domain_ref, allowed.error(), now);
  }
  const auto canonical = manifest::canonical_text(glossary);
  const auto hash = content_hash(canonical);
  auto decide = [&](StoreTransaction& transaction) -> Result<GlossaryChange> {
    if (auto domain = service_support::require_domain(transaction, caller, metadata.domain); !domain.ok()) {
      return domain.error();
    }
    return decide_glossary(transaction, glossary, canonical, hash);
  };
  if (dry_run) return in_read_transaction<GlossaryChange>(store_, decide);
  return in_write_transaction<GlossaryChange>(store_, [&](StoreTransaction& transaction) -> Result<GlossaryChange> {
    auto change = decide(transaction);
    if (!change.ok() || change->action == ChangeAction::unchanged) return change;
    auto domain = transaction.find_domain(metadata.domain);
    if (!domain.ok()) return domain.error();
    if (!domain->has_value()) {
      if (auto status = transaction.insert_domain({metadata.domain, now, 0, ""}); !status.ok()) return status.error();
    }
    Owner owner;
    if (metadata.owner) owner = {metadata.owner->team.value_or(""), metadata.owner->email.value_or("")};
    GlossaryRecord record{metadata.domain, metadata.name, metadata.version, change->revision + 1, owner, now, now};
    if (auto status = transaction.save_glossary(record, change->revision); !status.ok()) return status.error();
    std::vector<TermRecord> terms;
    for (const auto& term : glossary.terms) terms.push_back({term, metadata.domain, metadata.name, metadata.version, owner});
    GlossaryVersionRecord version{metadata.domain, metadata.name, metadata.version, canonical, hash, now,
                                  caller.actor};
    auto before = service_support::name_normalizer(transaction);
    if (!before.ok()) return before.error();
    if (auto status = transaction.insert_glossary_version(version, terms); !status.ok()) return status.error();
    // Field names compare through the synonyms: the index entries they change follow in this transaction.
    auto after = service_support::name_normalizer(transaction);
    if (!after.ok()) return after.error();
    if (auto status = service_support::reindex_similarity(transaction, *before, *after); !status.ok()) {
      return status.error();
    }
    const bool created = change->action == ChangeAction::created;
    AuditEvent event{0,
                     now,
                     caller.actor,
                     created ? "glossary-create" : "glossary-evolve",
                     domain_ref,
                     metadata.version,
                     created ? fmt::format("glossary {} created at version {} ({} terms)", metadata.name,
                                           metadata.version, glossary.terms.size())
                             : fmt::format("glossary {} {} -> {} ({} terms)", metadata.name, change->from_version,
                                           metadata.version, glossary.terms.size())};
    if (auto id = transaction.append_audit(event); !id.ok()) return id.error();
    change->revision += 1;
    return change;
  });
}

Result<std::vector<TermRecord>> RegistryService::list_terms(const std::optional<std::string>& domain) {
  using Terms = std::vector<TermRecord>;
  return in_read_transaction<Terms>(store_,
                                    [&](StoreTransaction& transaction) { return transaction.list_terms(domain); });
}

Result<TermDetails> RegistryService::describe_term(const std::string& name) {
  return in_read_transaction<TermDetails>(store_, [&](StoreTransaction& transaction) -> Result<TermDetails> {
    auto found = transaction.find_term(name);
    if (!found.ok()) return found.error();
    if (!found->has_value()) {
      auto terms = transaction.list_terms(std::nullopt);
      if (!terms.ok()) return terms.error();
      if (const auto* term = term_of_synonym(*terms, name)) {
        return make_error(ErrorKind::not_found,
                          fmt::format("'{}' is no term but a synonym of term '{}': meshctl describe term {}", name,
                                      term->term.name, term->term.name),
                          {{"term", name}, {"synonymOf", term->term.name}});
      }
      std::vector<std::string_view> names;
      for (const auto& term : *terms) names.push_back(term.term.name);
      const auto match = closest_match(name, names);
      return make_error(ErrorKind::not_found,
                        match ? fmt::format("no term '{}' in the glossary: did you mean '{}'?", name, *match)
                              : fmt::format("no term '{}' in the glossary: meshctl get terms lists them", name),
                        {{"term", name}});
    }
    TermDetails details{std::move(**found), {}};
    std::vector<std::string> names = {details.term.term.name};
    names.insert(names.end(), details.term.term.synonyms.begin(), details.term.term.synonyms.end());
    for (const auto& bound : names) {
      if (auto status = collect_bindings(transaction, bound, details.fields); !status.ok()) return status.error();
    }
    std::sort(details.fields.begin(), details.fields.end(), [](const TermBinding& a, const TermBinding& b) {
      return std::tie(a.product, a.port, a.field) < std::tie(b.product, b.port, b.field);
    });
    return details;
  });
}

}  // namespace meshctl::registry
