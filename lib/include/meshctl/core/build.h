#pragma once

#include <string>

namespace meshctl {

// What tells this build of meshctl from any other: MESHCTL_VERSION, then the
// GNU build ID the linker wrote into the running executable (a hash of its
// code), as "0.1.0+3f2a...". Two builds of one version from different sources
// differ. Just the version when the executable has no build ID.
const std::string& build_identity();

}  // namespace meshctl
