// The API's JSON manifest reader: a request body parsed as the server parses
// it (parse_json, with its depth bound), then read as each route that carries manifests reads it (POST
// /v1/products: {mode, manifest}; /v1/plans: {mode, manifests[]};
// /v1/plans/execute: a plan), and the body itself as a bare manifest. A
// manifest that reads must survive its own canonical JSON unchanged, since the
// registry stores that text and serves it back.

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "meshctl/catalog/json.h"
#include "meshctl/core/json.h"
#include "meshctl/manifest/model.h"

using namespace meshctl;
using nlohmann::json;

namespace {

void read_manifest(const json& value) {
  auto product = manifest::from_json(value);
  if (!product) {
    fuzz::require(!product.error().message.empty(), "a refused manifest says why");
    return;
  }
  const auto stored = manifest::canonical_text(*product);
  auto read_back = manifest::from_json(json::parse(stored, nullptr, false));
  fuzz::require(read_back.ok(), "the canonical text of a manifest reads back");
  fuzz::require(*read_back == *product, "reading the canonical text back changes nothing");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = parse_json(fuzz::as_text(data, size), "the request body");
  if (!parsed) return 0;
  const json& body = *parsed;
  read_manifest(body);
  if (!body.is_object()) return 0;
  if (const auto found = body.find("manifest"); found != body.end()) read_manifest(*found);
  if (const auto found = body.find("manifests"); found != body.end() && found->is_array()) {
    for (const auto& item : *found) read_manifest(item);
  }
  if (auto plan = registry::apply_plan_from_json(body)) {
    for (const auto& item : plan->items) {
      fuzz::require(manifest::from_json(manifest::to_json(item.manifest)).ok(), "a planned manifest reads back");
    }
  }
  return 0;
}
