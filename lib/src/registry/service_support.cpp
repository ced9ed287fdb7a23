#include "registry/service_support.h"

#include <fmt/format.h>

#include "meshctl/core/semver.h"
#include "meshctl/core/text.h"

namespace meshctl::registry::service_support {

Result<ManifestFacts> facts_of(const manifest::DataProduct& manifest) {
  const auto& metadata = manifest.metadata;
  if (metadata.domain.empty() || metadata.name.empty() || metadata.domain.find('/') != std::string::npos ||
      metadata.name.find('/') != std::string::npos) {
    return make_error(
        ErrorKind::invalid,
        fmt::format("the manifest '{}' needs a metadata.domain and a metadata.name without '/'", manifest.id()));
  }
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
  for (const auto& port : manifest.spec.input_ports) {
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
  }
  facts.canonical_json = manifest::canonical_text(manifest);
  facts.hash = content_hash(facts.canonical_json);
  return facts;
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

}  // namespace meshctl::registry::service_support
