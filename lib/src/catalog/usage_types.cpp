#include "meshctl/catalog/usage_types.h"

namespace meshctl::registry {

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

}  // namespace meshctl::registry
