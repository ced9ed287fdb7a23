// RegistryService: the input-port rule of every publication (publish, plan,
// execute). A product may only be published when each of its input ports reads
// something the registry can provide.

#include <algorithm>

#include <fmt/format.h>

#include "meshctl/catalog/json.h"
#include "meshctl/core/constraint_match.h"
#include "registry/service_support.h"

namespace meshctl::registry::service_support {

namespace {

Result<ProviderOffer> offer_of(StoreTransaction& transaction, const ProductRef& provider,
                               const PendingVersions& pending) {
  ProviderOffer offer;
  auto found = transaction.find_product(provider);
  if (!found.ok()) return found.error();
  offer.product = std::move(*found);
  if (offer.product) {
    auto versions = transaction.list_versions(provider);
    if (!versions.ok()) return versions.error();
    offer.versions = offered_versions(*offer.product, *versions);
  }
  if (auto planned = pending.find(provider); planned != pending.end()) {
    offer.pending = true;
    std::vector<VersionRecord> records;
    for (const auto& version : planned->second) {
      const bool stored = std::any_of(offer.versions.begin(), offer.versions.end(),
                                      [&](const OfferedVersion& offered) { return offered.version == version; });
      if (!stored) {
        records.push_back({provider, version, LifecycleStatus::active, "", "", "", "", std::nullopt, std::nullopt});
      }
    }
    // A new version takes its product's state: deprecated with it, say.
    ProductRecord product;
    if (offer.product) product = *offer.product;
    for (auto& offered : offered_versions(product, records)) offer.versions.push_back(std::move(offered));
  }
  return offer;
}

std::string reads_text(const DependencyEdge& edge) {
  return fmt::format("input port '{}' reads {}{}", edge.port, edge.provider.text(),
                     edge.version_constraint.empty() ? "" : " " + edge.version_constraint);
}

std::string deprecation_clause(const Deprecation& deprecation) {
  return deprecation.reason.empty() ? fmt::format("sunset {}", deprecation.sunset)
                                    : fmt::format("sunset {}: {}", deprecation.sunset, deprecation.reason);
}

// The finding about `edge`, or nullopt when it resolves to a version that is not deprecated.
std::optional<InputPortFinding> inspect(const ManifestFacts& facts, std::size_t input, const ProviderOffer& offer) {
  const auto& edge = facts.inputs[input];
  InputPortFinding finding{facts.ref,
                           facts.version,
                           facts.input_indexes[input],
                           edge.port,
                           edge.provider,
                           edge.version_constraint,
                           "",
                           "",
                           {},
                           ""};
  if (!offer.product && !offer.pending) {
    finding.rule = "MESH-INPUT-UNKNOWN";
    finding.message = fmt::format(
        "{}, which is not registered: publish it first (or in the same apply), or correct "
        "the product's name",
        reads_text(edge));
    return finding;
  }
  if (offer.product && offer.product->status == LifecycleStatus::retired) {
    finding.rule = "MESH-INPUT-RETIRED";
    finding.message =
        fmt::format("{}, which is retired{}: read its replacement instead", reads_text(edge),
                    offer.product->deprecation ? fmt::format(" ({})", deprecation_clause(*offer.product->deprecation))
                                               : std::string());
    return finding;
  }
  const auto match = match_constraint(edge.version_constraint, offer.versions);
  finding.available = match.available;
  if (!match.valid) {
    finding.rule = "MESH-INPUT-UNMATCHED";
    finding.message = fmt::format(
        "input port '{}' reads {} with version '{}', which is not a version constraint: "
        "write one like ^2, ~1.4 or >=3.1.0",
        edge.port, edge.provider.text(), edge.version_constraint);
    return finding;
  }
  if (match.matching.empty()) {
    finding.rule = "MESH-INPUT-UNMATCHED";
    finding.message = fmt::format(
        "{}, but no version of it meets the constraint (versions not retired: {}): "
        "publish a matching version first, or change the constraint",
        reads_text(edge), version_list_text(match.available));
    return finding;
  }
  if (!match.only_deprecated) return std::nullopt;
  finding.rule = "MESH-INPUT-DEPRECATED";
  finding.sunset = match.last_sunset;
  finding.available = match.matching;
  if (offer.product && offer.product->status == LifecycleStatus::deprecated && offer.product->deprecation) {
    finding.message = fmt::format("{}, which is deprecated ({}): move to its replacement before then", reads_text(edge),
                                  deprecation_clause(*offer.product->deprecation));
  } else {
    finding.message = fmt::format(
        "{}, which resolves only to deprecated versions ({}; sunset {}): move to a "
        "version that is not deprecated before then",
        reads_text(edge), version_list_text(match.matching), match.last_sunset);
  }
  return finding;
}

}  // namespace

Result<InputInspection> inspect_inputs(StoreTransaction& transaction, const ManifestFacts& facts,
                                       const PendingVersions& pending, ProviderOffers& offers) {
  InputInspection inspection;
  for (std::size_t i = 0; i < facts.inputs.size(); ++i) {
    const auto& provider = facts.inputs[i].provider;
    auto offer = offers.find(provider);
    if (offer == offers.end()) {
      auto made = offer_of(transaction, provider, pending);
      if (!made.ok()) return made.error();
      offer = offers.emplace(provider, std::move(*made)).first;
    }
    auto finding = inspect(facts, i, offer->second);
    if (!finding) continue;
    (finding->rule == "MESH-INPUT-DEPRECATED" ? inspection.warnings : inspection.refused)
        .push_back(std::move(*finding));
  }
  return inspection;
}

Error unresolved_inputs_refusal(const ManifestFacts& facts, const std::vector<InputPortFinding>& refused) {
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& finding : refused) listed.push_back(to_json(finding));
  const auto subject = fmt::format("{}@{}", facts.ref.text(), facts.version);
  const auto message =
      refused.size() == 1
          ? fmt::format("{} cannot be published: {}", subject, refused.front().message)
          : fmt::format("{} cannot be published: {} of its input ports do not resolve in the registry; the first: {}",
                        subject, refused.size(), refused.front().message);
  return make_error(ErrorKind::conflict, message,
                    {{"product", facts.ref.text()}, {"version", facts.version}, {"unresolvedInputs", listed}});
}

Result<std::vector<InputPortFinding>> check_inputs(StoreTransaction& transaction, const ManifestFacts& facts,
                                                   const PendingVersions& pending, ProviderOffers& offers) {
  auto inspection = inspect_inputs(transaction, facts, pending, offers);
  if (!inspection.ok()) return inspection.error();
  if (!inspection->refused.empty()) return unresolved_inputs_refusal(facts, inspection->refused);
  return std::move(inspection->warnings);
}

nlohmann::json unresolved_inputs_of(const Error& error) {
  if (error.details.is_object()) {
    const auto found = error.details.find("unresolvedInputs");
    if (found != error.details.end() && found->is_array()) return *found;
  }
  return nlohmann::json::array();
}

}  // namespace meshctl::registry::service_support

namespace meshctl::registry {

std::vector<OfferedVersion> offered_versions(const ProductRecord& product, const std::vector<VersionRecord>& versions) {
  std::vector<OfferedVersion> offered;
  offered.reserve(versions.size());
  for (const auto& version : versions) {
    OfferedVersion item{version.version,
                        product.status == LifecycleStatus::retired || version.status == LifecycleStatus::retired,
                        std::nullopt};
    if (version.status == LifecycleStatus::deprecated) {
      item.deprecated_until = version.deprecation ? version.deprecation->sunset : std::string();
    } else if (product.status == LifecycleStatus::deprecated) {
      item.deprecated_until = product.deprecation ? product.deprecation->sunset : std::string();
    }
    offered.push_back(std::move(item));
  }
  return offered;
}

}  // namespace meshctl::registry
