// RegistryService: publishing versions, alone or as an all-or-nothing plan.

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "meshctl/core/semver.h"
#include "meshctl/registry/service.h"
#include "registry/service_support.h"

namespace meshctl::registry {

using service_support::facts_of;
using service_support::ManifestFacts;

namespace {

// What publishing `facts` would do now, or why it is refused. Every
// publication rule lives here, so plan() and publish() cannot disagree.
Result<Change> decide_publish(StoreTransaction& transaction, const ManifestFacts& facts, PublishMode mode) {
  const auto& ref = facts.ref;
  auto found = transaction.find_product(ref);
  if (!found.ok()) return found.error();
  if (!found->has_value()) {
    if (mode == PublishMode::evolve) {
      return make_error(ErrorKind::not_found,
                        fmt::format("no product {} to evolve: create it first (meshctl create, or apply)", ref.text()),
                        {{"product", ref.text()}});
    }
    return Change{ref, ChangeAction::created, "", facts.version, 0};
  }
  const ProductRecord& product = **found;
  if (product.status == LifecycleStatus::retired) {
    return make_error(ErrorKind::conflict,
                      fmt::format("{} is retired, and a retired product's name cannot be used again: give the "
                                  "product a new name",
                                  ref.text()),
                      {{"product", ref.text()}, {"status", "retired"}});
  }
  if (mode == PublishMode::create) {
    return make_error(ErrorKind::conflict,
                      fmt::format("{} already exists (latest version {}): evolve it instead (meshctl evolve, or "
                                  "apply)",
                                  ref.text(), product.latest_version),
                      {{"product", ref.text()}, {"latestVersion", product.latest_version}});
  }
  auto published = transaction.find_version(ref, facts.version);
  if (!published.ok()) return published.error();
  if (published->has_value()) {
    const VersionRecord& existing = **published;
    if (existing.content_hash == facts.hash && existing.manifest_json == facts.canonical_json) {
      return Change{ref, ChangeAction::unchanged, "", facts.version, product.revision};
    }
    return make_error(ErrorKind::conflict,
                      fmt::format("version {} of {} is already published with a different manifest, and published "
                                  "versions never change: bump metadata.version above {}",
                                  facts.version, ref.text(), product.latest_version),
                      {{"product", ref.text()},
                       {"version", facts.version},
                       {"latestVersion", product.latest_version},
                       {"publishedHash", existing.content_hash},
                       {"manifestHash", facts.hash}});
  }
  // Versions are published in ascending precedence, so the latest is the
  // highest: being above it is being above every published version.
  const auto latest = parse_version(product.latest_version);
  const auto candidate = parse_version(facts.version);
  if (latest && candidate && compare_versions(*candidate, *latest) <= 0) {
    return make_error(ErrorKind::conflict,
                      fmt::format("version {} of {} is not greater than {}, its highest published version: publish a "
                                  "version above {}",
                                  facts.version, ref.text(), product.latest_version, product.latest_version),
                      {{"product", ref.text()}, {"version", facts.version}, {"latestVersion", product.latest_version}});
  }
  // A breaking change needs a major bump, an added port, field or allowed value a minor, anything else a patch.
  if (auto gate = service_support::check_evolution_gate(transaction, facts); !gate.ok()) return gate.error();
  return Change{ref, ChangeAction::evolved, product.latest_version, facts.version, product.revision};
}

// Writes `change` (decided on this transaction) and its audit event. Returns
// the change with the product's new revision.
Result<Change> write_change(StoreTransaction& transaction, Change change, const ManifestFacts& facts,
                            const Caller& caller, const std::string& now, const NameNormalizer& normalize,
                            const std::optional<OriginalDocuments>& original = std::nullopt) {
  if (change.action == ChangeAction::unchanged) return change;
  const auto& ref = facts.ref;
  AuditEvent event{0, now, caller.actor, "", ref, facts.version, ""};
  if (change.action == ChangeAction::created) {
    auto domain = transaction.find_domain(ref.domain);
    if (!domain.ok()) return domain.error();
    if (!domain->has_value()) {
      if (auto status = transaction.insert_domain({ref.domain, now, 0, ""}); !status.ok()) return status.error();
    }
    ProductRecord product{ref, LifecycleStatus::active, 1, facts.version, facts.owner, facts.labels, std::nullopt, now,
                          now};
    if (auto status = transaction.insert_product(product); !status.ok()) return status.error();
    change.revision = 1;
    event.action = "create";
    event.summary = fmt::format("created at version {}", facts.version);
  } else {
    auto product = service_support::require_product(transaction, ref);
    if (!product.ok()) return product.error();
    product->latest_version = facts.version;
    product->owner = facts.owner;
    product->labels = facts.labels;
    product->updated_at = now;
    if (auto status = transaction.update_product(*product, change.revision); !status.ok()) return status.error();
    change.revision += 1;
    event.action = "evolve";
    event.summary = fmt::format("{} -> {}", change.from_version, facts.version);
  }
  VersionRecord version{ref,          facts.version, LifecycleStatus::active, facts.canonical_json, facts.hash, now,
                        caller.actor, std::nullopt, original};
  if (auto status = transaction.insert_version(version); !status.ok()) return status.error();
  // Versions are published in ascending order: this one is the latest, whose schemas the index keeps.
  if (auto status = service_support::index_similarity(transaction, facts, normalize); !status.ok()) {
    return status.error();
  }
  if (auto status = transaction.replace_dependencies(ref, facts.inputs); !status.ok()) return status.error();
  if (auto id = transaction.append_audit(event); !id.ok()) return id.error();
  return change;
}

// Orders the manifests so a product follows the products its input ports read
// (when they are in the batch); otherwise keeps the given order.
Result<std::vector<std::size_t>> dependency_order(const std::vector<ManifestFacts>& batch) {
  std::map<ProductRef, std::size_t> index_of;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!index_of.emplace(batch[i].ref, i).second) {
      return make_error(
          ErrorKind::invalid,
          fmt::format("{} appears twice in one apply: keep one manifest per product", batch[i].ref.text()),
          {{"product", batch[i].ref.text()}});
    }
  }
  enum class Mark { none, visiting, done };
  std::vector<Mark> marks(batch.size(), Mark::none);
  std::vector<std::size_t> order;
  std::vector<std::size_t> path;
  std::optional<Error> cycle;
  // Depth is bounded by the batch size; batches are folders of manifests.
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    if (cycle || marks[i] == Mark::done) return;
    if (marks[i] == Mark::visiting) {
      std::vector<std::string> names;
      auto start = std::find(path.begin(), path.end(), i);
      for (auto it = start; it != path.end(); ++it) names.push_back(batch[*it].ref.text());
      names.push_back(batch[i].ref.text());
      cycle = make_error(ErrorKind::invalid,
                         fmt::format("the input ports form a cycle: {}; a product cannot read itself through others",
                                     fmt::join(names, " -> ")),
                         {{"cycle", names}});
      return;
    }
    marks[i] = Mark::visiting;
    path.push_back(i);
    for (const auto& input : batch[i].inputs) {
      auto provider = index_of.find(input.provider);
      if (provider != index_of.end() && provider->second != i) visit(provider->second);
    }
    path.pop_back();
    marks[i] = Mark::done;
    order.push_back(i);
  };
  for (std::size_t i = 0; i < batch.size() && !cycle; ++i) visit(i);
  if (cycle) return *cycle;
  return order;
}

bool same_decision(const Change& planned, const Change& now) {
  return planned.ref == now.ref && planned.action == now.action && planned.revision == now.revision &&
         planned.from_version == now.from_version && planned.to_version == now.to_version;
}

}  // namespace

Result<Change> RegistryService::publish(const Caller& caller, const manifest::DataProduct& manifest, PublishMode mode) {
  auto facts = facts_of(manifest);
  if (!facts.ok()) return facts.error();
  const auto now = format_utc(clock_.now());
  if (auto allowed = service_support::authorize_publish(store_, caller, {*facts}, "publish", now); !allowed.ok()) {
    return allowed.error();
  }
  return service_support::in_write_transaction<Change>(store_, [&](StoreTransaction& transaction) -> Result<Change> {
    if (auto domain = service_support::require_domain(transaction, caller, facts->ref.domain); !domain.ok()) {
      return domain.error();
    }
    if (auto checked = service_support::check_registry_standards(transaction, std::span(&*facts, 1)); !checked.ok()) {
      return checked.error();
    }
    auto change = decide_publish(transaction, *facts, mode);
    if (!change.ok()) return change;
    auto normalize = service_support::name_normalizer(transaction);
    if (!normalize.ok()) return normalize.error();
    if (change->action != ChangeAction::unchanged) {
      service_support::ProviderOffers offers;
      if (auto inputs = service_support::check_inputs(transaction, *facts, {}, offers); !inputs.ok()) {
        return inputs.error();
      }
      if (auto terms = service_support::check_field_terms(transaction, *facts); !terms.ok()) return terms.error();
      // A duplicate at error severity refuses; warnings have no place in a Change (apply's plan carries them).
      auto duplicates = service_support::check_duplicates(transaction, std::span(&*facts, 1), {}, *normalize);
      if (!duplicates.ok()) return duplicates.error();
    }
    return write_change(transaction, *change, *facts, caller, now, *normalize);
  });
}

Result<ApplyPlan> RegistryService::plan(const Caller& caller, std::vector<manifest::DataProduct> manifests,
                                        PublishMode mode) {
  std::vector<ManifestFacts> batch;
  batch.reserve(manifests.size());
  for (const auto& manifest : manifests) {
    auto facts = facts_of(manifest);
    if (!facts.ok()) return facts.error();
    batch.push_back(std::move(*facts));
  }
  auto order = dependency_order(batch);
  if (!order.ok()) return order.error();
  // A dry run is refused like the apply it previews, and audited the same way.
  const auto now = format_utc(clock_.now());
  if (auto allowed = service_support::authorize_publish(store_, caller, batch, "apply", now); !allowed.ok()) {
    return allowed.error();
  }
  return service_support::in_read_transaction<ApplyPlan>(
      store_, [&](StoreTransaction& transaction) -> Result<ApplyPlan> {
        if (auto domains = service_support::require_domains(transaction, caller, batch); !domains.ok()) {
          return domains.error();
        }
        if (auto checked = service_support::check_registry_standards(transaction, batch); !checked.ok()) {
          return checked.error();
        }
        ApplyPlan plan{mode, {}, {}, {}};
        // Every version the apply publishes may be read by the others' input ports.
        service_support::PendingVersions pending;
        for (const auto& facts : batch) pending[facts.ref].push_back(facts.version);
        service_support::ProviderOffers offers;  // the transaction reads one snapshot: kept for the whole plan
        std::vector<Error> refusals;
        std::vector<bool> publishing(batch.size(), false);
        for (const auto index : *order) {
          auto change = decide_publish(transaction, batch[index], mode);
          if (change.ok()) {
            // A product left as it is writes nothing, so only warnings concern it; its readers learn all the same.
            auto inputs = service_support::inspect_inputs(transaction, batch[index], pending, offers);
            if (!inputs.ok()) return inputs.error();
            if (!inputs->refused.empty() && change->action != ChangeAction::unchanged) {
              change = service_support::unresolved_inputs_refusal(batch[index], inputs->refused);
            } else {
              plan.warnings.insert(plan.warnings.end(), inputs->warnings.begin(), inputs->warnings.end());
            }
          }
          if (!change.ok()) {
            if (change.error().kind == ErrorKind::unavailable) return change.error();
            refusals.push_back(change.error());
            continue;
          }
          publishing[index] = change->action != ChangeAction::unchanged;
          plan.items.push_back({*change, std::move(manifests[index]), std::nullopt});
        }
        if (refusals.empty()) {
          // Against the registry as it is: the manifests of one apply are not compared with each other.
          auto normalize = service_support::name_normalizer(transaction);
          if (!normalize.ok()) return normalize.error();
          auto duplicates = service_support::check_duplicates(transaction, batch, publishing, *normalize);
          if (!duplicates.ok()) return duplicates.error();
          plan.duplicates = std::move(*duplicates);
          return plan;
        }
        if (refusals.size() == 1) return refusals.front();
        nlohmann::json listed = nlohmann::json::array();
        nlohmann::json unresolved = nlohmann::json::array();
        for (const auto& refusal : refusals) {
          listed.push_back(
              {{"kind", meshctl::to_string(refusal.kind)}, {"message", refusal.message}, {"details", refusal.details}});
          for (const auto& input : service_support::unresolved_inputs_of(refusal)) unresolved.push_back(input);
        }
        nlohmann::json details = {{"refusals", listed}};
        // Every input port that does not resolve, of every manifest, in one list.
        if (!unresolved.empty()) details["unresolvedInputs"] = unresolved;
        return make_error(refusals.front().kind,
                          fmt::format("{} of {} manifests would be refused; nothing was written. First: {}",
                                      refusals.size(), batch.size(), refusals.front().message),
                          details);
      });
}

Result<std::vector<Change>> RegistryService::execute(const Caller& caller, const ApplyPlan& plan) {
  std::vector<ManifestFacts> batch;
  batch.reserve(plan.items.size());
  for (const auto& item : plan.items) {
    auto facts = facts_of(item.manifest);
    if (!facts.ok()) return facts.error();
    batch.push_back(std::move(*facts));
  }
  const auto now = format_utc(clock_.now());
  if (auto allowed = service_support::authorize_publish(store_, caller, batch, "apply", now); !allowed.ok()) {
    return allowed.error();
  }
  using Changes = std::vector<Change>;
  return service_support::in_write_transaction<Changes>(store_, [&](StoreTransaction& transaction) -> Result<Changes> {
    if (auto domains = service_support::require_domains(transaction, caller, batch); !domains.ok()) {
      return domains.error();
    }
    if (auto checked = service_support::check_registry_standards(transaction, batch); !checked.ok()) {
      return checked.error();
    }
    // Checked before anything is written, so execute compares with what plan compared with.
    auto normalize = service_support::name_normalizer(transaction);
    if (!normalize.ok()) return normalize.error();
    std::vector<bool> publishing;
    for (const auto& item : plan.items) publishing.push_back(item.change.action != ChangeAction::unchanged);
    if (auto duplicates = service_support::check_duplicates(transaction, batch, publishing, *normalize);
        !duplicates.ok()) {
      return duplicates.error();
    }
    Changes done;
    service_support::ProviderOffers offers;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const Change& planned = plan.items[i].change;
      auto change = decide_publish(transaction, batch[i], plan.mode);
      if (!change.ok()) return change.error();
      // A product that reached exactly the planned manifest meanwhile (another
      // apply of the same file won the race) is not a conflict: nothing is
      // lost, and apply stays idempotent. Any other difference is.
      if (!same_decision(planned, *change) && change->action != ChangeAction::unchanged) {
        return make_error(ErrorKind::conflict,
                          fmt::format("{} changed in the registry since the plan was made (planned: {} at revision {}, "
                                      "now: {} at revision {}); nothing was written: plan again",
                                      batch[i].ref.text(), to_string(planned.action), planned.revision,
                                      to_string(change->action), change->revision),
                          {{"product", batch[i].ref.text()}});
      }
      // The products written before this one are in the transaction: no pending versions.
      if (change->action != ChangeAction::unchanged) {
        if (auto inputs = service_support::check_inputs(transaction, batch[i], {}, offers); !inputs.ok()) {
          return inputs.error();
        }
        if (auto terms = service_support::check_field_terms(transaction, batch[i]); !terms.ok()) {
          return terms.error();
        }
      }
      auto written = write_change(transaction, *change, batch[i], caller, now, *normalize, plan.items[i].original);
      offers.erase(batch[i].ref);  // what it offers changed
      if (!written.ok()) return written.error();
      done.push_back(*written);
    }
    return done;
  });
}

}  // namespace meshctl::registry
