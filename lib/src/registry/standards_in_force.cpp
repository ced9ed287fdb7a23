#include "meshctl/registry/standards_in_force.h"

#include <fmt/format.h>

namespace meshctl::registry {

Result<StandardsInForce> standards_in_force(const std::optional<StandardsRecord>& kept) {
  if (!kept) {
    return StandardsInForce{standards::Standards::builtin(), "the built-in standards (the registry has none published)",
                            "builtin"};
  }
  auto parsed = standards::parse_standards(kept->text, fmt::format("registry version {}", kept->version));
  if (!parsed.standards) {
    return make_error(
        ErrorKind::unavailable,
        fmt::format("the registry's standards (version {}) do not load ({}): an admin publishes a fixed "
                    "file (meshctl standards publish FILE), or this meshctl is older than they are",
                    kept->version, parsed.diagnostics.empty() ? "no reason given" : parsed.diagnostics[0].message),
        {{"standardsVersion", kept->version}});
  }
  return StandardsInForce{std::move(*parsed.standards),
                          fmt::format("the registry's standards (version {})", kept->version),
                          fmt::format("registry {} {}", kept->version, kept->content_hash)};
}

}  // namespace meshctl::registry
