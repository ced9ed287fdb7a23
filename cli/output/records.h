#pragma once

#include <ostream>

#include "meshctl/registry/registry.h"

namespace meshctl::cli {

// Text for people.
void print_change_line(std::ostream& out, const registry::Change& change, bool planned);
void print_glossary_line(std::ostream& out, const registry::GlossaryChange& change, bool planned);
void print_product_details(std::ostream& out, const registry::ProductDetails& details);

// A table with a header row; columns padded to their widest cell.
class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace meshctl::cli
