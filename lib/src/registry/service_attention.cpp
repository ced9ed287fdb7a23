// RegistryService: the products that need their owners' attention, for the catalog's home page.

#include <algorithm>
#include <map>

#include "meshctl/registry/health.h"
#include "meshctl/registry/service.h"
#include "meshctl/usage/summary.h"
#include "meshctl/usage/time.h"
#include "registry/service_support.h"
#include "registry/service_usage.h"

namespace meshctl::registry {

Result<std::vector<ProductAttention>> RegistryService::attention() {
  using Attention = std::vector<ProductAttention>;
  const auto now = service_usage::epoch_seconds(clock_);
  return service_support::in_read_transaction<Attention>(
      store_, [&](StoreTransaction& transaction) -> Result<Attention> {
        auto inputs = transaction.attention_inputs();
        if (!inputs.ok()) return inputs.error();
        struct Judged {
          std::vector<PortFreshness> freshness;
          std::vector<QualityRun> runs;
        };
        std::map<ProductRef, Judged> products;
        // Judged as the usage summary judges a port (usage/summary.h), from the same record and SLO.
        for (auto& [record, slo] : inputs->freshness) {
          PortFreshness port;
          port.port = record.port;
          port.slo = slo.value_or("");
          port.updated_at = record.updated_at;
          if (!record.reported_by.empty()) port.reported_by = record.reported_by;
          if (const auto changed = usage::parse_timestamp(record.updated_at)) port.age_seconds = now - *changed;
          port.verdict = usage::judge_freshness(slo, record.updated_at, now);
          if (port.verdict == FreshnessVerdict::violated) products[record.product].freshness.push_back(std::move(port));
        }
        for (auto& run : inputs->failed_runs) products[run.ref].runs.push_back(std::move(run));
        Attention attention;
        for (auto& [ref, judged] : products) {
          std::stable_sort(judged.runs.begin(), judged.runs.end(),
                           [](const QualityRun& a, const QualityRun& b) { return a.port < b.port; });
          auto reasons = attention_reasons(judged.freshness, judged.runs);
          if (!reasons.empty()) attention.push_back({ref, std::move(reasons)});
        }
        return attention;
      });
}

}  // namespace meshctl::registry
