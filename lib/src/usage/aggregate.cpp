#include "meshctl/usage/aggregate.h"

#include <algorithm>
#include <functional>
#include <tuple>

namespace meshctl::usage {

std::size_t DayAggregator::KeyHash::operator()(const Key& key) const {
  std::size_t hash = 0;
  for (const auto part : key) hash = hash * 31 + std::hash<std::string_view>{}(part);
  return hash;
}

void DayAggregator::add(const registry::UsageEvent& event) {
  const std::string_view day = std::string_view(event.time).substr(0, 10);
  auto found = days_.find(Key{event.product.domain, event.product.name, day, event.consumer, event.port, event.version});
  if (found == days_.end()) {
    auto aggregate = std::make_unique<registry::UsageDay>();
    aggregate->product = event.product;
    aggregate->day = std::string(day);
    aggregate->consumer = event.consumer;
    aggregate->port = event.port;
    aggregate->version = event.version;
    const Key key{aggregate->product.domain, aggregate->product.name, aggregate->day,
                  aggregate->consumer,       aggregate->port,         aggregate->version};
    found = days_.emplace(key, std::move(aggregate)).first;
  }
  auto& aggregate = *found->second;
  aggregate.events += 1;
  aggregate.rows += event.rows;
  aggregate.bytes += event.bytes;
  if (event.time > aggregate.last_seen) aggregate.last_seen = event.time;
}

std::vector<registry::UsageDay> DayAggregator::take() {
  std::vector<registry::UsageDay> result;
  result.reserve(days_.size());
  for (auto& [key, aggregate] : days_) result.push_back(std::move(*aggregate));
  days_.clear();
  std::sort(result.begin(), result.end(), [](const registry::UsageDay& a, const registry::UsageDay& b) {
    return std::tie(a.product, a.day, a.consumer, a.port, a.version) <
           std::tie(b.product, b.day, b.consumer, b.port, b.version);
  });
  return result;
}

}  // namespace meshctl::usage
