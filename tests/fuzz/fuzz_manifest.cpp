// `meshctl validate -` on one document held in memory: the YAML loader, the
// structural check, the built-in standard, then what `apply` does with a
// manifest that passes (decode, canonical JSON, and reading that JSON back).

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "meshctl/manifest/model.h"
#include "meshctl/validate/validator.h"

using namespace meshctl;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz::as_text(data, size));
  auto sources = validate::collect_sources({"-"}, text);
  fuzz::require(sources.ok() && sources->size() == 1, "standard input is one source");
  validate::Options options;
  options.jobs = 1;
  auto loaded = validate::load_products(*sources, options);
  fuzz::require(loaded.ok(), "validate fails only on an unreadable --standards file");
  for (const auto& diagnostic : loaded->report.diagnostics) {
    fuzz::require(diagnostic.file == "<stdin>", "every finding names the source");
  }
  for (const auto& product : loaded->products) {
    const auto stored = manifest::canonical_text(product);
    auto read_back = manifest::from_json(manifest::to_json(product));
    fuzz::require(read_back.ok(), "the canonical JSON of a decoded manifest reads back");
    fuzz::require(manifest::canonical_text(*read_back) == stored, "reading the canonical JSON back changes nothing");
  }
  return 0;
}
