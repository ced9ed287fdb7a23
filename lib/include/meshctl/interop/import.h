#pragma once

// Open-standard documents as native products: an ODCS contract alone, or an ODPS product with the
// contracts of its output ports. What `validate` and `apply` make of ODCS and ODPS files
// (validate/validator.cpp); the conversion itself is convert.h's.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/core/diagnostic.h"
#include "meshctl/interop/convert.h"
#include "meshctl/interop/documents.h"
#include "meshctl/manifest/model.h"
#include "meshctl/yaml/node.h"

namespace meshctl::interop {

// One ODCS or ODPS document as read.
struct OpenDocument {
  std::string file;  // as diagnostics name it
  Standard standard = Standard::odcs;
  yaml::Node root;
  nlohmann::json value;        // yaml::to_json(root)
  bool schema_errors = false;  // check_document found errors in it: it is not converted
};

// A native product made of open-standard documents.
struct ImportedProduct {
  manifest::DataProduct product;
  Standard standard = Standard::odcs;
  // ODCS: the contract. ODPS: the product, then the contract of each output port (nullptr for a port
  // without contractId).
  std::vector<const OpenDocument*> documents;
};

struct ImportResult {
  // In the order of the documents given: each ODPS product with its contracts, and each ODCS contract
  // that no product takes along, alone.
  std::vector<ImportedProduct> products;
  // MESH-ODPS-CONTRACT for a contract found nowhere (at the port's contractId), the schema findings
  // of contracts read from folder trees, MESH-INTEROP-CONVERT for a document that does not convert.
  std::vector<Diagnostic> diagnostics;
  // The contracts read from folder trees (the products point into them).
  std::vector<std::unique_ptr<OpenDocument>> found;
};

// The products of `documents`. An ODPS output port's contract (by contractId) is looked for among
// `documents`, then in the folder tree of the product's file (its *.yaml, *.yml and *.json files, hidden
// folders skipped); a contract read there is checked against its schema too. A document with
// schema_errors is not converted (its findings are already reported), nor a product one of whose
// contracts has them. `leftovers`: what each conversion keeps (convert.h).
ImportResult import_documents(const std::vector<const OpenDocument*>& documents, Leftovers leftovers = Leftovers::keep);

// A finding about an imported product's native manifest (its `path`, such as
// "spec.outputPorts[0].schema.fields[1].pii") moved to where the mapping carries that value in the
// original documents: the file, position and path of the nearest value there (the document's root at
// worst).
Diagnostic locate(Diagnostic finding, const ImportedProduct& imported);

}  // namespace meshctl::interop
