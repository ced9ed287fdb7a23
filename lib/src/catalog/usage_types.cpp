#include "meshctl/catalog/usage_types.h"

namespace meshctl::registry {

std::string join_domains(const std::vector<std::string>& domains) {
  std::string text;
  for (const auto& domain : domains) {
    if (!text.empty()) text += ',';
    text += domain;
  }
  return text;
}

std::vector<std::string> split_domains(std::string_view text) {
  std::vector<std::string> domains;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto comma = text.find(',', start);
    const auto end = comma == std::string_view::npos ? text.size() : comma;
    if (end > start) domains.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return domains;
}

const char* to_string(LineageDirection direction) {
  switch (direction) {
    case LineageDirection::upstream: return "upstream";
    case LineageDirection::downstream: return "downstream";
    case LineageDirection::both: return "both";
  }
  return "both";
}

const char* to_string(FreshnessVerdict verdict) {
  switch (verdict) {
    case FreshnessVerdict::met: return "met";
    case FreshnessVerdict::violated: return "violated";
    case FreshnessVerdict::unknown: return "unknown";
  }
  return "unknown";
}

const char* to_string(AttentionReason::Kind kind) {
  switch (kind) {
    case AttentionReason::Kind::slo_violated: return "slo-violated";
    case AttentionReason::Kind::quality_failed: return "quality-failed";
  }
  return "slo-violated";
}

}  // namespace meshctl::registry
