#include "meshctl/usage/aggregate.h"

#include <map>
#include <tuple>

namespace meshctl::usage {

std::vector<registry::UsageDay> aggregate_days(const std::vector<registry::UsageEvent>& events) {
  using Key = std::tuple<std::string_view, std::string_view, std::string_view, std::string_view, std::string_view,
                         std::string_view>;
  // Keys view into `events`, which outlive the map.
  std::map<Key, registry::UsageDay> days;
  for (const auto& event : events) {
    const std::string_view day = std::string_view(event.time).substr(0, 10);
    const Key key{event.product.domain, event.product.name, day, event.consumer, event.port, event.version};
    auto [found, inserted] = days.try_emplace(key);
    auto& aggregate = found->second;
    if (inserted) {
      aggregate.product = event.product;
      aggregate.day = std::string(day);
      aggregate.consumer = event.consumer;
      aggregate.port = event.port;
      aggregate.version = event.version;
    }
    aggregate.events += 1;
    aggregate.rows += event.rows;
    aggregate.bytes += event.bytes;
    if (event.time > aggregate.last_seen) aggregate.last_seen = event.time;
  }
  std::vector<registry::UsageDay> result;
  result.reserve(days.size());
  for (auto& [key, aggregate] : days) result.push_back(std::move(aggregate));
  return result;
}

}  // namespace meshctl::usage
