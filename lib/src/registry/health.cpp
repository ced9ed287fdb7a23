#include "meshctl/registry/health.h"

#include <fmt/format.h>

namespace meshctl::registry {
namespace {

void count_fields(const std::vector<manifest::Field>& fields, ProductHealth& health) {
  for (const auto& field : fields) {
    ++health.documentable;
    if (field.description && !field.description->empty()) ++health.documented;
    count_fields(field.fields, health);
  }
}

bool present(const std::optional<std::string>& text) {
  return text && !text->empty();
}

}  // namespace

const char* to_string(Trend trend) {
  switch (trend) {
    case Trend::rising: return "rising";
    case Trend::steady: return "steady";
    case Trend::falling: return "falling";
    case Trend::none: break;
  }
  return "none";
}

int ProductHealth::documentation_percent() const {
  if (documentable == 0) return 100;
  return static_cast<int>(documented * 100 / documentable);
}

ProductHealth product_health(const manifest::DataProduct& manifest, const ProductDetails& details,
                             const UsageSummary& usage) {
  ProductHealth health;
  health.consumers = static_cast<std::int64_t>(usage.consumers.size());
  const std::size_t half = usage.days.size() / 2;
  std::int64_t earlier = 0;
  std::int64_t later = 0;
  for (std::size_t i = 0; i < usage.days.size(); ++i) {
    // With an odd number of days the middle one belongs to neither half.
    if (i < half) earlier += usage.days[i].events;
    if (i >= usage.days.size() - half) later += usage.days[i].events;
  }
  health.reads = usage.events;
  if (usage.events > 0) {
    health.reads_trend = later * 5 > earlier * 6   ? Trend::rising
                         : later * 6 < earlier * 5 ? Trend::falling
                                                   : Trend::steady;
  }
  for (const auto& port : usage.freshness) {
    if (port.verdict == FreshnessVerdict::unknown) continue;
    ++health.slo_judged;
    if (port.verdict == FreshnessVerdict::met) ++health.slo_met;
  }
  health.slo_days = usage.slo_days;
  health.slo_days_met = usage.slo_days_met;
  health.slo_days_judged = usage.slo_days_judged;
  for (const auto& run : details.latest_quality) {
    ++health.quality_ports;
    if (run.counts.failed > 0 || run.counts.error > 0) ++health.quality_failed;
  }
  const auto& metadata = manifest.metadata;
  health.documentable += 2;
  if (present(metadata.description)) ++health.documented;
  if (metadata.owner && present(metadata.owner->team) && present(metadata.owner->email)) ++health.documented;
  for (const auto& port : manifest.spec.output_ports) {
    ++health.documentable;
    if (present(port.description)) ++health.documented;
    if (port.schema) count_fields(port.schema->fields, health);
  }
  return health;
}

std::string health_line(const ProductHealth& health) {
  std::string line = fmt::format("{} {}", health.consumers, health.consumers == 1 ? "consumer" : "consumers");
  line += health.reads_trend == Trend::none ? " (no reads)" : fmt::format(" (reads {})", to_string(health.reads_trend));
  if (health.slo_judged == 0 && health.slo_days_judged == 0) {
    line += " · no SLO judged";
  } else {
    line += health.slo_judged == 0 ? std::string(" · SLO")
                                   : fmt::format(" · SLO met {}/{}", health.slo_met, health.slo_judged);
    if (health.slo_days_judged > 0) {
      line += fmt::format("{} {}/{} days of the last {}", health.slo_judged == 0 ? " met" : ",", health.slo_days_met,
                          health.slo_days_judged, health.slo_days);
    }
  }
  if (health.quality_ports == 0) {
    line += " · no quality run";
  } else if (health.quality_failed > 0) {
    line += fmt::format(" · quality failed {}/{}", health.quality_failed, health.quality_ports);
  } else {
    line += fmt::format(" · quality passed {}/{}", health.quality_ports, health.quality_ports);
  }
  line += fmt::format(" · docs {}%", health.documentation_percent());
  return line;
}

std::vector<AttentionReason> attention_reasons(const std::vector<PortFreshness>& freshness,
                                               const std::vector<QualityRun>& latest_runs) {
  std::vector<AttentionReason> reasons;
  for (const auto& port : freshness) {
    if (port.verdict != FreshnessVerdict::violated) continue;
    AttentionReason reason;
    reason.kind = AttentionReason::Kind::slo_violated;
    reason.port = port.port;
    reason.text = fmt::format("freshness SLO {} violated on {}: last change {}", port.slo, port.port,
                              port.updated_at.value_or("unknown"));
    reasons.push_back(std::move(reason));
  }
  for (const auto& run : latest_runs) {
    if (run.counts.failed == 0 && run.counts.error == 0) continue;
    AttentionReason reason;
    reason.kind = AttentionReason::Kind::quality_failed;
    reason.port = run.port;
    reason.text =
        fmt::format("quality run failed on {}: {} failed, {} {} (version {}, {})", run.port, run.counts.failed,
                    run.counts.error, run.counts.error == 1 ? "error" : "errors", run.version, run.time);
    reasons.push_back(std::move(reason));
  }
  return reasons;
}

std::vector<AttentionReason> attention_reasons(const ProductDetails& details, const UsageSummary& usage) {
  if (details.product.status == LifecycleStatus::retired) return {};
  // A run of an earlier version says nothing of the data the latest version describes.
  std::vector<QualityRun> latest_runs;
  for (const auto& run : details.latest_quality) {
    if (run.version == details.product.latest_version) latest_runs.push_back(run);
  }
  return attention_reasons(usage.freshness, latest_runs);
}

}  // namespace meshctl::registry
