#pragma once

// The standards a registry enforces on every publication: the latest version
// it keeps, else the built-in default. Read the same way by the service that
// checks publications and by a client that checks manifests before sending them.

#include <optional>
#include <string>

#include "meshctl/catalog/types.h"
#include "meshctl/core/error.h"
#include "meshctl/standards/standards.h"

namespace meshctl::registry {

struct StandardsInForce {
  standards::Standards rules;
  // For messages: "the registry's standards (version 3)", or the built-in default's.
  std::string label;
  // Identifies them in validate's cache: "builtin", or "registry VERSION HASH".
  std::string key;
};

// The standards in force given the latest `kept` version (nullopt: none
// published). ErrorKind::unavailable (details.standardsVersion) when the kept
// text does not load with this meshctl.
Result<StandardsInForce> standards_in_force(const std::optional<StandardsRecord>& kept);

}  // namespace meshctl::registry
