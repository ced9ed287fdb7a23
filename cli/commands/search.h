#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "context.h"
#include "meshctl/catalog/operations.h"
#include "meshctl/core/error.h"

namespace meshctl::cli {

void register_search(CLI::App& app, Context& context);

// The product filters `search` and `get products` share: --domain, --status, --label, --owner, --tag, --term,
// --field, --pii.
struct ProductFilterOptions {
  std::string domain;
  std::string status;
  std::vector<std::string> labels;
  std::string owner;
  std::string tag;
  std::string term;
  std::string field;
  bool pii = false;
};
void add_product_filter_options(CLI::App& command, ProductFilterOptions& options);
// Invalid for a --label that is not KEY=VALUE.
Result<registry::ProductFilter> product_filter_of(const ProductFilterOptions& options);

}  // namespace meshctl::cli
