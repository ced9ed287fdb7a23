#pragma once

// A product's health in one line (issue 19): what the web catalog shows on a product's page and in lists,
// and `meshctl describe` prints, computed once here from what the registry holds.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meshctl/catalog/operations.h"
#include "meshctl/catalog/usage_types.h"
#include "meshctl/manifest/model.h"

namespace meshctl::registry {

enum class Trend { rising, steady, falling, none };
const char* to_string(Trend trend);  // "rising", "steady", "falling", "none"

struct ProductHealth {
  // Everyone who reads it: dependents, subscriptions and consumers observed in the usage window.
  std::int64_t consumers = 0;
  // Reads of the window's second half against its first half: rising or falling beyond a fifth, none
  // without a read in the window.
  Trend reads_trend = Trend::none;
  std::int64_t reads = 0;  // usage events in the window
  // Freshness SLOs as judged now (the registry keeps the last report per port, not a history):
  // ports whose SLO is met, and ports with an SLO that could be judged.
  std::int64_t slo_met = 0;
  std::int64_t slo_judged = 0;
  // The SLOs day by day over the last slo_days days (the usage summary's): the days every port judged
  // that day met its SLO, and the days at least one could be judged (usage/summary.h, slo_days).
  std::int64_t slo_days = 0;
  std::int64_t slo_days_met = 0;
  std::int64_t slo_days_judged = 0;
  // The latest quality run of each output port: how many ports have one, and how many of those failed
  // (a failed or errored check).
  std::int64_t quality_ports = 0;
  std::int64_t quality_failed = 0;
  // Documentation: of the product's description, owner (team and email), each output port's description
  // and each field's description, how many are there, out of how many.
  std::int64_t documented = 0;
  std::int64_t documentable = 0;
  // 0 to 100, rounded down; 100 for nothing documentable.
  int documentation_percent() const;
};

// The health of `manifest` (the product's latest), from its details (latest quality runs, dependents)
// and its usage summary over any window.
ProductHealth product_health(const manifest::DataProduct& manifest, const ProductDetails& details,
                             const UsageSummary& usage);

// One line: "3 consumers (reads rising) · SLO met 2/2, 28/29 days of the last 30 · quality passed 2/2 ·
// docs 80%"; parts without data say so ("no SLO judged", "no quality run"); the days only when one
// could be judged.
std::string health_line(const ProductHealth& health);

// Why a product needs its owners' attention (AttentionReason, catalog/usage_types.h): the one definition
// of the reasons and their texts, for the catalog's home page and Registry::attention.

// The reasons of a product that is not retired, from its output ports' freshness as judged now
// (PortFreshness, in the order of its latest version's output ports; a port whose verdict is violated)
// and `latest_runs`, the latest quality run of each port of its latest version (one with a failed or
// errored check): SLO violations first, then failed runs, each in the order given. Empty when nothing
// needs attention.
std::vector<AttentionReason> attention_reasons(const std::vector<PortFreshness>& freshness,
                                               const std::vector<QualityRun>& latest_runs);

// The reasons of a product from its details (latest quality runs; those of a version other than the
// latest are left out) and a usage summary (freshness as judged when it was made). Empty when the
// product needs no attention, or is retired (no one should read it any more).
std::vector<AttentionReason> attention_reasons(const ProductDetails& details, const UsageSummary& usage);

}  // namespace meshctl::registry
