// LocalRegistry's usage methods: forwarding to the service.

#include "meshctl/registry/local_registry.h"

namespace meshctl::registry {
Result<SubscribeOutcome> LocalRegistry::subscribe(const SubscribeRequest& request) {
  return service_.subscribe(caller_, request);
}
Result<std::vector<Subscription>> LocalRegistry::unsubscribe(const UnsubscribeRequest& request) {
  return service_.unsubscribe(caller_, request);
}
Result<std::vector<Subscription>> LocalRegistry::list_subscriptions(const std::optional<ProductRef>& product) {
  return service_.list_subscriptions(product);
}
Result<UsageReport> LocalRegistry::report_usage(std::string_view json_lines, std::size_t first_line) {
  return service_.report_usage(caller_, json_lines, first_line);
}
Result<UsageSummary> LocalRegistry::usage(const ProductRef& ref, const UsageQuery& query) {
  return service_.usage(ref, query);
}
Result<LineageGraph> LocalRegistry::lineage(const LineageRequest& request) {
  return service_.lineage(request);
}
Result<std::vector<ProductAttention>> LocalRegistry::attention() {
  return service_.attention();
}

}  // namespace meshctl::registry
