// The catalog's pages: each reads what it shows through CatalogReader and
// hands plain values to its template (lib/src/web/templates), which escapes them.

#include <algorithm>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "meshctl/manifest/model.h"
#include "meshctl/web/catalog.h"
#include "web/templates.h"

namespace meshctl::web {
namespace {

using registry::LifecycleStatus;
using registry::ProductRecord;
using registry::ProductRef;

// How many products the home page lists as recently changed.
constexpr std::size_t kRecentProducts = 10;

// A path segment as it goes into a link: names in the registry are kebab-case,
// anything else is percent-encoded so that a link never leaves its segment.
std::string segment(const std::string& text) {
  std::string encoded;
  for (const unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.') {
      encoded += static_cast<char>(c);
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return encoded;
}

std::string plural(std::int64_t count, const char* one, const char* many) {
  return count == 1 ? one : many;
}

// Every product `filter` selects, page by page.
Result<std::vector<ProductRecord>> all_products(CatalogReader& reader, const registry::ProductFilter& filter) {
  std::vector<ProductRecord> products;
  registry::ProductPageRequest request;
  request.filter = filter;
  while (true) {
    auto page = reader.list_products(request);
    if (!page) return page.error();
    for (auto& product : page->products) products.push_back(std::move(product));
    if (!page->next) return products;
    request.after = page->next;
  }
}

mstch::map product_row(const ProductRecord& product, const CatalogLinks& links) {
  return mstch::map{
      {"ref", product.ref.text()},
      {"name", product.ref.name},
      {"href", links.product(product.ref)},
      {"status", std::string(registry::to_string(product.status))},
      {"latest_version", product.latest_version},
      {"owner_team", product.owner.team},
      {"owner_email", product.owner.email},
      {"updated_at", product.updated_at},
      {"sunset", product.deprecation ? product.deprecation->sunset : std::string()},
      {"reason", product.deprecation ? product.deprecation->reason : std::string()},
  };
}

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

// A field and the fields nested in it, in order, each with its dotted path and depth.
void add_fields(const std::vector<manifest::Field>& fields, const std::string& prefix, int depth, mstch::array& rows) {
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
        {"description", field.description.value_or("")},
        {"values", values},
    });
    add_fields(field.fields, path + ".", depth + 1, rows);
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

mstch::array output_ports(const manifest::DataProduct& manifest, const registry::ProductDetails& details) {
  mstch::array ports;
  for (const auto& port : manifest.spec.output_ports) {
    const std::string name = port.name.value_or("");
    mstch::array fields;
    if (port.schema) add_fields(port.schema->fields, "", 0, fields);
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

}  // namespace

std::string CatalogLinks::root() const {
  if (served_) return "/";
  std::string prefix;
  for (std::size_t i = 0; i < depth_; ++i) prefix += "../";
  return prefix;
}

std::string CatalogLinks::home() const {
  return served_ ? "/" : root() + "index.html";
}

std::string CatalogLinks::domain(const std::string& domain) const {
  return served_ ? "/catalog/domains/" + segment(domain) : root() + "domains/" + segment(domain) + ".html";
}

std::string CatalogLinks::product(const ProductRef& ref) const {
  const std::string path = segment(ref.domain) + "/" + segment(ref.name);
  return served_ ? "/catalog/products/" + path : root() + "products/" + path + ".html";
}

Result<std::string> render_home(CatalogReader& reader, const CatalogLinks& links) {
  auto domains = reader.list_domains();
  if (!domains) return domains.error();
  auto products = all_products(reader, {});
  if (!products) return products.error();

  mstch::array domain_nodes;
  for (const auto& domain : *domains) {
    domain_nodes.push_back(mstch::map{
        {"name", domain.name},
        {"href", links.domain(domain.name)},
        {"product_count", static_cast<int>(domain.product_count)},
        {"products_word", plural(domain.product_count, "product", "products")},
        {"owner_team", domain.owner_team},
    });
  }
  std::vector<const ProductRecord*> recent;
  std::vector<const ProductRecord*> deprecated;
  for (const auto& product : *products) {
    recent.push_back(&product);
    if (product.status == LifecycleStatus::deprecated) deprecated.push_back(&product);
  }
  const auto newest_first = [](const ProductRecord* a, const ProductRecord* b) {
    return a->updated_at != b->updated_at ? a->updated_at > b->updated_at : a->ref < b->ref;
  };
  const auto shown = std::min(recent.size(), kRecentProducts);
  std::partial_sort(recent.begin(), recent.begin() + static_cast<std::ptrdiff_t>(shown), recent.end(), newest_first);
  recent.resize(shown);
  std::sort(deprecated.begin(), deprecated.end(), [](const ProductRecord* a, const ProductRecord* b) {
    const auto& sunset_a = a->deprecation ? a->deprecation->sunset : std::string();
    const auto& sunset_b = b->deprecation ? b->deprecation->sunset : std::string();
    return sunset_a != sunset_b ? sunset_a < sunset_b : a->ref < b->ref;
  });
  mstch::array recent_nodes;
  for (const auto* product : recent) recent_nodes.push_back(product_row(*product, links));
  mstch::array deprecated_nodes;
  for (const auto* product : deprecated) deprecated_nodes.push_back(product_row(*product, links));

  const mstch::map context{
      {"product_count", static_cast<int>(products->size())},
      {"domain_count", static_cast<int>(domains->size())},
      {"has_domains", !domain_nodes.empty()},
      {"domains", domain_nodes},
      {"has_recent", !recent_nodes.empty()},
      {"recent", recent_nodes},
      {"has_deprecated", !deprecated_nodes.empty()},
      {"deprecated", deprecated_nodes},
  };
  return render_page("home.mustache", context, "Data products", {}, links.home());
}

Result<std::string> render_domain(CatalogReader& reader, const std::string& domain, const CatalogLinks& links) {
  auto domains = reader.list_domains();
  if (!domains) return domains.error();
  const auto found = std::find_if(domains->begin(), domains->end(),
                                  [&](const registry::DomainRecord& record) { return record.name == domain; });
  if (found == domains->end()) return make_error(ErrorKind::not_found, "no domain '" + domain + "'");
  registry::ProductFilter filter;
  filter.domain = domain;
  auto products = all_products(reader, filter);
  if (!products) return products.error();
  mstch::array rows;
  for (const auto& product : *products) rows.push_back(product_row(product, links));
  const auto count = static_cast<std::int64_t>(products->size());
  const mstch::map context{
      {"name", domain},
      {"owner_team", found->owner_team},
      {"product_count", static_cast<int>(count)},
      {"products_word", plural(count, "product", "products")},
      {"has_products", !rows.empty()},
      {"products", rows},
  };
  return render_page("domain.mustache", context, "Domain " + domain, {{domain, links.domain(domain)}}, links.home());
}

Result<std::string> render_product(CatalogReader& reader, const ProductRef& ref, const CatalogLinks& links) {
  auto details = reader.describe(ref);
  if (!details) return details.error();
  auto subscriptions = reader.subscriptions(ref);
  if (!subscriptions) return subscriptions.error();
  const auto document = nlohmann::json::parse(details->selected.manifest_json, nullptr, false);
  auto decoded = manifest::from_json(document);
  if (!decoded) {
    return make_error(ErrorKind::unavailable, "the registry holds a manifest of " + ref.text() +
                                                  " that does not read back: " + decoded.error().message);
  }
  const auto& manifest = *decoded;
  const auto& product = details->product;
  const auto& metadata = manifest.metadata;

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
  mstch::node deprecation = false;
  if (product.deprecation) {
    deprecation = mstch::map{{"sunset", product.deprecation->sunset},
                             {"reason", product.deprecation->reason},
                             {"status", std::string(registry::to_string(product.status))}};
  }
  const auto inputs = input_ports(manifest, *details, links);
  const bool has_consumers = !dependents.empty() || !subscription_nodes.empty();
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
      {"has_tags", !tags.empty()},
      {"tags", tags},
      {"has_labels", !labels.empty()},
      {"labels", labels},
      {"output_ports", output_ports(manifest, *details)},
      {"has_inputs", !inputs.empty()},
      {"inputs", inputs},
      {"has_dependents", !dependents.empty()},
      {"dependents", dependents},
      {"has_subscriptions", !subscription_nodes.empty()},
      {"subscriptions", subscription_nodes},
      {"has_consumers", has_consumers},
      {"versions", versions},
  };
  return render_page(
      "product.mustache", context, title,
      {{product.ref.domain, links.domain(product.ref.domain)}, {product.ref.name, links.product(product.ref)}},
      links.home());
}

std::string render_notice(const std::string& heading, const std::string& text, const CatalogLinks& links) {
  return render_page("notice.mustache", mstch::map{{"heading", heading}, {"text", text}}, heading, {}, links.home());
}

}  // namespace meshctl::web
