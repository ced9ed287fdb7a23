// A product's page: what describe, the changelog, usage and lineage know of it, handed as plain values to
// product.mustache (which escapes them), the two pictures (reads per day, lineage) as SVG drawn by the
// template from the coordinates computed here.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "meshctl/manifest/model.h"
#include "meshctl/registry/changelog.h"
#include "meshctl/registry/health.h"
#include "meshctl/web/catalog.h"
#include "web/page_support.h"
#include "web/templates.h"

namespace meshctl::web {
namespace {

using registry::LifecycleStatus;
using registry::ProductRef;

constexpr std::int64_t kUsageDays = 30;
// How far the lineage picture walks each way: the page of a hub stays small.
constexpr std::size_t kLineageDepth = 2;

std::string scalar_text(const manifest::Scalar& value) {
  return std::visit(
      [](const auto& item) -> std::string {
        using T = std::decay_t<decltype(item)>;
        if constexpr (std::is_same_v<T, bool>)
          return item ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>)
          return item;
        else
          return fmt::format("{}", item);
      },
      value);
}

// What a field's term links to: its term's page, by every name a field may say (term_names).
struct TermLinks {
  const std::map<std::string, std::string>& terms;
  const CatalogLinks& links;
  std::string href(const std::string& named) const {
    const auto found = terms.find(named);
    return found == terms.end() ? std::string() : links.term(found->second);
  }
};

// A field and the fields nested in it, in order, each with its dotted path and depth.
void add_fields(const std::vector<manifest::Field>& fields, const std::string& prefix, int depth,
                const TermLinks& term_links, mstch::array& rows) {
  for (const auto& field : fields) {
    const std::string path = prefix + field.name.value_or("?");
    std::string type = field.type.value_or("");
    if (field.items) type += "<" + *field.items + ">";
    std::string values;
    for (const auto& value : field.enum_values) values += (values.empty() ? "" : ", ") + scalar_text(value);
    rows.push_back(mstch::map{
        {"path", path},
        {"depth", std::min(depth, 3)},
        {"type", type},
        {"required", field.required.value_or(false)},
        {"unique", field.unique.value_or(false)},
        {"pii", field.pii.value_or(false)},
        {"classification", field.classification.value_or("")},
        {"term", field.term.value_or("")},
        {"term_href", field.term ? term_links.href(*field.term) : std::string()},
        {"description", field.description.value_or("")},
        {"values", values},
    });
    add_fields(field.fields, path + ".", depth + 1, term_links, rows);
  }
}

mstch::node quality_node(const registry::QualityRun& run) {
  const auto& counts = run.counts;
  const bool failed = counts.failed > 0 || counts.error > 0;
  return mstch::map{
      {"outcome", std::string(failed ? "failed" : "passed")},
      {"passed", static_cast<int>(counts.passed)},
      {"failed", static_cast<int>(counts.failed)},
      {"warning", static_cast<int>(counts.warning)},
      {"error", static_cast<int>(counts.error)},
      {"skipped", static_cast<int>(counts.skipped)},
      {"version", run.version},
      {"time", run.time},
  };
}

mstch::array output_ports(const manifest::DataProduct& manifest, const registry::ProductDetails& details,
                          const registry::UsageSummary& usage, const TermLinks& term_links) {
  mstch::array ports;
  for (const auto& port : manifest.spec.output_ports) {
    const std::string name = port.name.value_or("");
    mstch::array fields;
    if (port.schema) add_fields(port.schema->fields, "", 0, term_links, fields);
    const bool has_fields = !fields.empty();
    mstch::map node{
        {"name", name},
        {"type", port.type.value_or("")},
        {"format", port.format.value_or("")},
        {"location", port.location.value_or("")},
        {"description", port.description.value_or("")},
        {"has_slo", port.slo.has_value() && (port.slo->freshness || port.slo->availability)},
        {"freshness", port.slo ? port.slo->freshness.value_or("") : std::string()},
        {"availability", port.slo ? port.slo->availability.value_or("") : std::string()},
        {"rule_count", static_cast<int>(port.quality.size())},
        {"has_fields", has_fields},
        {"fields", std::move(fields)},
    };
    const auto run = std::find_if(details.latest_quality.begin(), details.latest_quality.end(),
                                  [&](const registry::QualityRun& item) { return item.port == name; });
    node["quality"] = run == details.latest_quality.end() ? mstch::node(false) : quality_node(*run);
    const auto fresh = std::find_if(usage.freshness.begin(), usage.freshness.end(),
                                    [&](const registry::PortFreshness& item) { return item.port == name; });
    mstch::node freshness = false;
    if (fresh != usage.freshness.end() && fresh->updated_at) {
      freshness =
          mstch::map{{"updated_at", *fresh->updated_at}, {"verdict", std::string(registry::to_string(fresh->verdict))}};
    }
    node["current"] = freshness;
    node["slo_days"] =
        fresh != usage.freshness.end() && fresh->slo_days_judged > 0
            ? fmt::format("met {}/{} days of the last {}", fresh->slo_days_met, fresh->slo_days_judged, usage.slo_days)
            : std::string();
    ports.push_back(std::move(node));
  }
  return ports;
}

mstch::array input_ports(const manifest::DataProduct& manifest, const registry::ProductDetails& details,
                         const CatalogLinks& links) {
  mstch::array inputs;
  for (const auto& port : manifest.spec.input_ports) {
    const std::string product = port.product.value_or("");
    const auto warning = std::find_if(
        details.input_warnings.begin(), details.input_warnings.end(),
        [&](const registry::InputProviderState& state) { return state.edge.port == port.name.value_or(""); });
    const bool registered = warning == details.input_warnings.end() || warning->registered;
    std::string warning_text;
    if (warning != details.input_warnings.end() && warning->registered) {
      warning_text = warning->status != LifecycleStatus::active ? registry::to_string(warning->status)
                     : warning->only_deprecated                 ? "only deprecated versions match"
                     : warning->resolves_to.empty()             ? "no version matches"
                                                                : "";
    }
    auto ref = registry::parse_product_ref(product);
    inputs.push_back(mstch::map{
        {"name", port.name.value_or("")},
        {"product", product},
        {"href", ref && registered ? links.product(*ref) : std::string()},
        {"version", port.version.value_or("")},
        {"warning", warning_text},
    });
  }
  return inputs;
}

// Reads per day as bars, oldest left; a day without reads is a gap.
mstch::map reads_chart(const registry::UsageSummary& usage) {
  constexpr int kWidth = 600;
  constexpr int kHeight = 120;
  std::int64_t highest = 0;
  for (const auto& day : usage.days) highest = std::max(highest, day.events);
  const int slot = usage.days.empty() ? kWidth : kWidth / static_cast<int>(usage.days.size());
  mstch::array bars;
  int x = 0;
  for (const auto& day : usage.days) {
    const int height = highest == 0 ? 0 : static_cast<int>(day.events * (kHeight - 4) / highest);
    bars.push_back(mstch::map{{"x", x + 1},
                              {"y", kHeight - height},
                              {"w", std::max(slot - 2, 1)},
                              {"h", height},
                              {"day", day.day},
                              {"events", static_cast<int>(day.events)}});
    x += slot;
  }
  const auto summary =
      fmt::format("{} reads from {} to {}, at most {} a day", usage.events, usage.since_day, usage.until_day, highest);
  return mstch::map{{"width", kWidth}, {"height", kHeight}, {"bars", bars}, {"summary", summary}};
}

// The lineage as columns: upstream products left of the product, downstream right, one column per step.
mstch::map lineage_picture(const ProductRef& root, const registry::LineageGraph& upstream,
                           const registry::LineageGraph& downstream, const CatalogLinks& links) {
  constexpr int kNodeWidth = 190;
  constexpr int kNodeHeight = 30;
  constexpr int kColumnGap = 50;
  constexpr int kRowGap = 12;
  constexpr int kMargin = 4;
  struct Placed {
    const registry::LineageNode* node;
    int column;  // negative: upstream
  };
  std::map<ProductRef, Placed> placed;
  placed.emplace(root, Placed{nullptr, 0});
  for (const auto& node : upstream.nodes) {
    if (node.ref != root) placed.emplace(node.ref, Placed{&node, -static_cast<int>(node.depth)});
  }
  for (const auto& node : downstream.nodes) {
    if (node.ref != root) placed.emplace(node.ref, Placed{&node, static_cast<int>(node.depth)});
  }
  int lowest = 0;
  int highest = 0;
  for (const auto& [ref, item] : placed) {
    lowest = std::min(lowest, item.column);
    highest = std::max(highest, item.column);
  }
  std::map<int, int> rows_in_column;
  std::map<ProductRef, std::pair<int, int>> position;  // left x, top y
  for (const auto& [ref, item] : placed) {
    const int row = rows_in_column[item.column]++;
    position[ref] = {kMargin + (item.column - lowest) * (kNodeWidth + kColumnGap),
                     kMargin + row * (kNodeHeight + kRowGap)};
  }
  int tallest = 0;
  for (const auto& [column, rows] : rows_in_column) tallest = std::max(tallest, rows);
  mstch::array nodes;
  for (const auto& [ref, item] : placed) {
    const auto [x, y] = position[ref];
    const bool registered = item.node == nullptr || item.node->registered;
    std::string label = ref.text();
    if (label.size() > 26) label = label.substr(0, 25) + "…";
    const std::string kind = item.column == 0 ? "self" : item.column < 0 ? "upstream" : "downstream";
    nodes.push_back(mstch::map{{"x", x},
                               {"y", y},
                               {"text_x", x + 8},
                               {"text_y", y + 20},
                               {"width", kNodeWidth},
                               {"height", kNodeHeight},
                               {"label", label},
                               {"ref", ref.text()},
                               {"kind", kind},
                               {"href", registered ? links.product(ref) : std::string()}});
  }
  mstch::array edges;
  for (const auto* graph : {&upstream, &downstream}) {
    for (const auto& edge : graph->edges) {
      const auto from = position.find(edge.provider);
      const auto to = position.find(edge.consumer);
      if (from == position.end() || to == position.end()) continue;
      edges.push_back(mstch::map{{"x1", from->second.first + kNodeWidth},
                                 {"y1", from->second.second + kNodeHeight / 2},
                                 {"x2", to->second.first},
                                 {"y2", to->second.second + kNodeHeight / 2}});
    }
  }
  const int columns = highest - lowest + 1;
  const auto count = static_cast<int>(placed.size()) - 1;
  return mstch::map{
      {"width", 2 * kMargin + columns * kNodeWidth + (columns - 1) * kColumnGap},
      {"height", 2 * kMargin + tallest * kNodeHeight + (tallest - 1) * kRowGap},
      {"nodes", nodes},
      {"edges", edges},
      {"has_neighbours", count > 0},
      {"summary", fmt::format("Lineage of {}: {} upstream and {} downstream {} within {} steps", root.text(),
                              upstream.nodes.empty() ? 0 : upstream.nodes.size() - 1,
                              downstream.nodes.empty() ? 0 : downstream.nodes.size() - 1,
                              plural(count, "product", "products"), kLineageDepth)},
  };
}

// Newest first: each version with its date, author and what changed since the one before.
Result<mstch::array> changelog_nodes(CatalogReader& reader, const ProductRef& ref) {
  auto versions = reader.versions(ref);
  if (!versions) return versions.error();
  auto entries = registry::changelog_of(std::move(*versions));
  if (!entries) return entries.error();
  mstch::array nodes;
  for (auto entry = entries->rbegin(); entry != entries->rend(); ++entry) {
    mstch::array changes;
    for (const auto& change : entry->diff.changes) {
      changes.push_back(mstch::map{{"message", change.message}, {"breaking", change.breaking}});
    }
    nodes.push_back(mstch::map{
        {"version", entry->version.version},
        {"published_at", entry->version.published_at},
        {"published_by", entry->version.published_by},
        {"first", !entry->previous_version.has_value()},
        {"breaking", entry->diff.breaking > 0},
        {"has_changes", !changes.empty()},
        {"changes", changes},
    });
  }
  return nodes;
}

}  // namespace

Result<std::string> render_product(CatalogReader& reader, const ProductRef& ref, const CatalogLinks& links) {
  auto details = reader.describe(ref);
  if (!details) return details.error();
  auto subscriptions = reader.subscriptions(ref);
  if (!subscriptions) return subscriptions.error();
  auto usage = reader.usage(ref, {.since_days = kUsageDays});
  if (!usage) return usage.error();
  auto upstream = reader.lineage({ref, registry::LineageDirection::upstream, kLineageDepth});
  if (!upstream) return upstream.error();
  auto downstream = reader.lineage({ref, registry::LineageDirection::downstream, kLineageDepth});
  if (!downstream) return downstream.error();
  auto changelog = changelog_nodes(reader, ref);
  if (!changelog) return changelog.error();
  auto terms = reader.list_terms();
  if (!terms) return terms.error();
  const auto known_terms = term_names(*terms);
  const auto document = nlohmann::json::parse(details->selected.manifest_json, nullptr, false);
  auto decoded = manifest::from_json(document);
  if (!decoded) {
    return make_error(ErrorKind::unavailable, "the registry holds a manifest of " + ref.text() +
                                                  " that does not read back: " + decoded.error().message);
  }
  const auto& manifest = *decoded;
  const auto& product = details->product;
  const auto& metadata = manifest.metadata;
  const auto health = registry::product_health(manifest, *details, *usage);

  mstch::array tags;
  for (const auto& tag : metadata.tags) tags.push_back(tag);
  mstch::array labels;
  for (const auto& [key, value] : metadata.labels) labels.push_back(mstch::map{{"key", key}, {"value", value}});
  mstch::array versions;
  for (auto version = details->versions.rbegin(); version != details->versions.rend(); ++version) {
    versions.push_back(mstch::map{
        {"version", version->version},
        {"status", std::string(registry::to_string(version->status))},
        {"sunset", version->deprecation ? version->deprecation->sunset : std::string()},
        {"published_at", version->published_at},
        {"published_by", version->published_by},
    });
  }
  mstch::array dependents;
  for (const auto& edge : details->dependents) {
    dependents.push_back(mstch::map{
        {"ref", edge.consumer.text()},
        {"href", links.product(edge.consumer)},
        {"port", edge.port},
        {"constraint", edge.version_constraint},
        {"inactive", edge.consumer_status != LifecycleStatus::active},
        {"status", std::string(registry::to_string(edge.consumer_status))},
    });
  }
  mstch::array subscription_nodes;
  for (const auto& subscription : *subscriptions) {
    subscription_nodes.push_back(mstch::map{
        {"consumer", subscription.consumer},
        {"team", subscription.team},
        {"port", subscription.port},
        {"constraint", subscription.version_constraint},
        {"purpose", subscription.purpose},
    });
  }
  mstch::array observed;
  for (const auto& consumer : usage->consumers) {
    if (!consumer.observed) continue;
    observed.push_back(mstch::map{{"consumer", consumer.consumer},
                                  {"events", static_cast<int>(consumer.events)},
                                  {"last_access", consumer.last_access.value_or("")}});
  }
  mstch::array downloads;
  for (const auto& offered : offered_downloads(manifest)) {
    downloads.push_back(mstch::map{{"href", links.download(product.ref, offered.download)},
                                   {"file", download_file_name(product.ref, offered.download)},
                                   {"label", offered.label}});
  }
  mstch::node deprecation = false;
  if (product.deprecation) {
    deprecation = mstch::map{{"sunset", product.deprecation->sunset},
                             {"reason", product.deprecation->reason},
                             {"status", std::string(registry::to_string(product.status))}};
  }
  const auto inputs = input_ports(manifest, *details, links);
  const bool has_consumers = !dependents.empty() || !subscription_nodes.empty() || !observed.empty();
  const std::string title = metadata.title.value_or(product.ref.name);
  const mstch::map context{
      {"title", title},
      {"ref", product.ref.text()},
      {"domain", product.ref.domain},
      {"domain_href", links.domain(product.ref.domain)},
      {"latest_version", product.latest_version},
      {"status", std::string(registry::to_string(product.status))},
      {"retired", product.status == LifecycleStatus::retired},
      {"deprecation", deprecation},
      {"description", metadata.description.value_or("")},
      {"owner_team", metadata.owner ? metadata.owner->team.value_or("") : std::string()},
      {"owner_email", metadata.owner ? metadata.owner->email.value_or("") : std::string()},
      {"compatibility", manifest.effective_compatibility()},
      {"health", registry::health_line(health)},
      {"downloads", downloads},
      {"has_tags", !tags.empty()},
      {"tags", tags},
      {"has_labels", !labels.empty()},
      {"labels", labels},
      {"output_ports", output_ports(manifest, *details, *usage, TermLinks{known_terms, links})},
      {"has_inputs", !inputs.empty()},
      {"inputs", inputs},
      {"has_dependents", !dependents.empty()},
      {"dependents", dependents},
      {"has_subscriptions", !subscription_nodes.empty()},
      {"subscriptions", subscription_nodes},
      {"has_observed", !observed.empty()},
      {"observed", observed},
      {"has_consumers", has_consumers},
      {"chart", reads_chart(*usage)},
      {"lineage", lineage_picture(product.ref, *upstream, *downstream, links)},
      {"versions", versions},
      {"changelog", *changelog},
  };
  return render_page(
      "product.mustache", context, title,
      {{product.ref.domain, links.domain(product.ref.domain)}, {product.ref.name, links.product(product.ref)}}, links);
}

}  // namespace meshctl::web
