#pragma once

// What `meshctl version` says about the build: the commit and date
// (cmake/build_info.cmake writes them at every build), and the libraries
// it was built with (their versions as CMake found them, MESHCTL_LIBRARIES).

namespace meshctl::cli {

struct BuildInfo {
  const char* commit;  // `git describe --always --dirty`, or "unknown" outside a git checkout
  const char* date;    // YYYY-MM-DD (UTC), SOURCE_DATE_EPOCH's when set
};
const BuildInfo& build_info();

}  // namespace meshctl::cli
