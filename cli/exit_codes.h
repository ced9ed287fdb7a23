#pragma once

#include "meshctl/core/error.h"

namespace meshctl::cli {

// The one table of exit codes every command uses (README "Exit codes").
enum ExitCode : int {
  kSuccess = 0,
  kFindings = 1,  // validation failed (or the registry's standards refused a write); diff found breaking changes
  kUsage = 2,     // unknown flag, missing argument, unreadable manifest path
  kNotFound = 3,
  kConflict = 4,     // the version exists, a concurrent change won, a lifecycle rule refused
  kForbidden = 5,    // unauthenticated or forbidden
  kUnavailable = 6,  // registry unavailable or storage error; a data source `meshctl test` cannot read
};

inline int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid: return kUsage;
    case ErrorKind::not_found: return kNotFound;
    case ErrorKind::conflict: return kConflict;
    case ErrorKind::unauthenticated:
    case ErrorKind::forbidden: return kForbidden;
    case ErrorKind::unavailable: return kUnavailable;
    case ErrorKind::findings: return kFindings;
  }
  return kUsage;
}

}  // namespace meshctl::cli
