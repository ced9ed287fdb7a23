#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "context.h"

namespace meshctl::cli {

// `subscribe` and `unsubscribe`.
void register_subscribe(CLI::App& app, Context& context);

// `get subscriptions [DOMAIN/NAME]` (registered by `get`); `product` empty: every product's.
int run_get_subscriptions(const std::string& product, Context& context);

}  // namespace meshctl::cli
