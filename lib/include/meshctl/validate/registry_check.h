#pragma once

// `validate --registry`: the input ports of clean manifests checked against
// what the registry knows. validate does not depend on the registry library
// (see ARCHITECTURE.md); the caller answers lookups through a callback.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meshctl/core/constraint_match.h"
#include "meshctl/core/diagnostic.h"
#include "meshctl/core/error.h"
#include "meshctl/validate/validator.h"

namespace meshctl::validate {

enum class ProductStatus { active, deprecated, retired };

// What the registry says about a product an input port reads.
struct RegisteredProduct {
  ProductStatus status = ProductStatus::active;
  std::string sunset;  // YYYY-MM-DD; empty when the product was never deprecated
  std::string reason;  // the deprecation's reason; may be empty
  // Its published versions, in publication order, each retired or deprecated as
  // the registry says (a deprecated product's versions all deprecated until its
  // sunset). Not needed for a retired product.
  std::vector<OfferedVersion> versions;
};

// Looks `domain/name` up. Returns nullopt when the registry does not know the
// product (not an error); an Error only when the registry cannot answer.
using ProductLookup =
    std::function<Result<std::optional<RegisteredProduct>>(std::string_view domain, std::string_view name)>;

// True for the ids of the findings below: they come only with `validate --registry`.
bool is_registry_rule(std::string_view rule_id);

// For every source of `report` without an error finding, checks the input
// ports its documents read (report.inputs: validate_sources with
// Options::collect_input_ports noted them while loading each file, so no file
// is read twice), as the registry checks them when the manifests are applied:
//   MESH-INPUT-UNKNOWN    error: neither registered nor defined by a clean document of the same run
//   MESH-INPUT-RETIRED    error: retired (the registry refuses new versions reading it)
//   MESH-INPUT-UNMATCHED  error: registered, not defined in the run, and no version that is not
//                         retired meets the port's constraint (or it is not a constraint)
//   MESH-INPUT-DEPRECATED warning: deprecated, or the constraint resolves only to deprecated versions
// Findings sit at the position of the `product` value (MESH-INPUT-UNMATCHED: of
// the `version` value); values that are not `domain/name` are left to the
// standards. Asks `lookup` once per product.
// Returns the findings (unsorted); fails with the lookup's Error when the
// registry cannot answer.
Result<std::vector<Diagnostic>> check_input_products(const Report& report, const ProductLookup& lookup);

// The field terms of every source of `report` without an error finding
// (report.inputs, noted with Options::collect_input_ports), checked against
// `registered` (the registry's terms: DefinedTerm by name) and the terms the
// run's own Glossary documents define, which stand over the registry's (the
// run applies them first):
//   MESH-TERM-UNKNOWN    error: neither a term nor a synonym of one; with the
//                        closest term as a "did you mean"
//   MESH-TERM-DEPRECATED warning: the term is deprecated
//   MESH-TERM-SYNONYM    warning: a synonym of a term (accepted), naming the term
// A draft term is accepted as it is. Findings sit at the `term` value; unsorted.
std::vector<Diagnostic> check_field_terms(const Report& report, const std::vector<DefinedTerm>& registered);

}  // namespace meshctl::validate
