#pragma once

// meshctl hands a command that needs PostgreSQL, the registry server or its client over to
// meshctl-network (meshctl/network/module.h): the same command line, run in its place, with what
// meshctl had already read of standard input given again.

#include <span>

#include "context.h"

namespace meshctl::cli {

// Installs the handover for the command line `argv` (main's, program name first).
void install_network_handover(std::span<char* const> argv, Context& context);

// In meshctl-network: refuses to run for a meshctl of another version (exit 6, with the message on
// context.err), and returns 0 when it may go on.
int check_handover(Context& context);

}  // namespace meshctl::cli
