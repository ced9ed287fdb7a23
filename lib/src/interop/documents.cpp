#include "meshctl/interop/documents.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>

#include <fmt/format.h>

#include "interop/embedded_schemas.h"

namespace meshctl::interop {

namespace {

struct ShippedSchema {
  Standard standard;
  const char* version;  // "v3.1.0"
  const char* file;     // its name in lib/schemas/<standard>/
};

// Oldest first within each standard.
constexpr std::array kSchemas{
    ShippedSchema{Standard::odcs, "v2.2.2", "odcs-json-schema-v2.2.2.json"},
    ShippedSchema{Standard::odcs, "v3.0.2", "odcs-json-schema-v3.0.2.json"},
    ShippedSchema{Standard::odcs, "v3.1.0", "odcs-json-schema-v3.1.0.json"},
    ShippedSchema{Standard::odps, "v0.9.0", "odps-json-schema-v0.9.0.json"},
    ShippedSchema{Standard::odps, "v1.0.0", "odps-json-schema-v1.0.0.json"},
};

struct CompiledSlot {
  std::once_flag once;
  std::optional<jsonschema::Schema> schema;
  Error error;
};

// Compiled once per process and never destroyed: freeing a compiled schema at exit costs a validation of
// one small document a tenth of its instructions, for nothing.
std::array<CompiledSlot, kSchemas.size()>& compiled_slots() {
  static auto& slots = *new std::array<CompiledSlot, kSchemas.size()>;
  return slots;
}

std::optional<std::size_t> find_schema(Standard standard, const std::string& version) {
  for (std::size_t i = 0; i < kSchemas.size(); ++i) {
    if (kSchemas[i].standard == standard && version == kSchemas[i].version) return i;
  }
  return std::nullopt;
}

const char* rule_of(Standard standard) {
  return standard == Standard::odcs ? "MESH-ODCS-SCHEMA" : "MESH-ODPS-SCHEMA";
}

// "v3.0.1" -> {3, 0}; nullopt for what is not v<major>.<minor>[.<patch>...].
std::optional<std::pair<int, int>> major_minor(const std::string& version) {
  if (version.size() < 2 || version[0] != 'v') return std::nullopt;
  int major = 0;
  int minor = 0;
  char dot = 0;
  int consumed = 0;
  if (std::sscanf(version.c_str() + 1, "%d%c%d%n", &major, &dot, &minor, &consumed) != 3 || dot != '.') {
    return std::nullopt;
  }
  return std::pair{major, minor};
}

}  // namespace

const char* to_string(Standard standard) {
  return standard == Standard::odcs ? "ODCS" : "ODPS";
}

std::optional<DocumentKind> recognize(const yaml::Node& root) {
  if (!root.is_mapping()) return std::nullopt;
  const auto* kind = root.find("kind");
  if (kind == nullptr || !kind->is_string()) return std::nullopt;
  const auto* api_version = root.find("apiVersion");
  const std::string declared = api_version != nullptr && api_version->is_scalar() ? api_version->text : "";
  if (kind->text == "DataContract") return DocumentKind{Standard::odcs, declared};
  const bool versioned = declared.size() >= 2 && declared[0] == 'v' && declared[1] >= '0' && declared[1] <= '9';
  if (kind->text == "DataProduct" && versioned) return DocumentKind{Standard::odps, declared};
  return std::nullopt;
}

std::vector<std::string> schema_versions(Standard standard) {
  std::vector<std::string> out;
  for (const auto& shipped : kSchemas) {
    if (shipped.standard == standard) out.emplace_back(shipped.version);
  }
  return out;
}

std::optional<std::string> schema_version_for(Standard standard, const std::string& declared_version) {
  if (declared_version.empty()) {
    return standard == Standard::odcs ? std::optional<std::string>("v2.2.2") : std::nullopt;
  }
  const auto wanted = major_minor(declared_version);
  if (!wanted) return std::nullopt;
  for (const auto& shipped : kSchemas) {
    if (shipped.standard == standard && major_minor(shipped.version) == wanted) return std::string(shipped.version);
  }
  return std::nullopt;
}

Result<const jsonschema::Schema*> schema_of(Standard standard, const std::string& schema_version) {
  const auto index = find_schema(standard, schema_version);
  if (!index) {
    return make_error(ErrorKind::not_found,
                      fmt::format("meshctl has no {} schema {}", to_string(standard), schema_version));
  }
  auto& slot = compiled_slots()[*index];
  std::call_once(slot.once, [&] {
    const auto& file = kSchemas[*index].file;
    const auto embedded = embedded_schemas();
    const auto found = std::find_if(embedded.begin(), embedded.end(), [&](const auto& e) { return e.name == file; });
    if (found == embedded.end()) {
      slot.error = make_error(ErrorKind::invalid, fmt::format("the shipped schema {} is missing", file));
      return;
    }
    auto compiled = jsonschema::Schema::load(found->image);
    if (!compiled) {
      slot.error = compiled.error();
      return;
    }
    slot.schema = std::move(*compiled);
  });
  if (!slot.schema) return slot.error;
  return &*slot.schema;
}

void check_document(const yaml::Node& root, const DocumentKind& kind, const std::string& file,
                    std::vector<Diagnostic>& out) {
  const char* rule = rule_of(kind.standard);
  const char* name = to_string(kind.standard);
  const auto* api_version = root.find("apiVersion");
  const Position version_position = api_version != nullptr ? api_version->position : root.position;
  const auto versions = schema_versions(kind.standard);
  const auto schema_version = schema_version_for(kind.standard, kind.declared_version);
  if (!schema_version) {
    out.push_back(
        Diagnostic{file, version_position, Severity::error, rule, api_version != nullptr ? "apiVersion" : "",
                   kind.declared_version.empty()
                       ? fmt::format("the {} document has no apiVersion: add one ({} are the versions meshctl checks)",
                                     name, fmt::join(versions, ", "))
                       : fmt::format("meshctl has no schema for {} {}: declare one of {}", name, kind.declared_version,
                                     fmt::join(versions, ", "))});
    return;
  }
  auto schema = schema_of(kind.standard, *schema_version);
  if (!schema) {
    out.push_back(Diagnostic{file, {}, Severity::error, rule, "", schema.error().message});
    return;
  }
  const auto violations = (*schema)->validate(root);
  for (const auto& violation : violations) {
    out.push_back(Diagnostic{file, violation.position, Severity::error, rule, violation.path,
                             fmt::format("{} ({} {})", violation.message, name, *schema_version)});
  }
  if (violations.empty()) return;
  // Which newer version the document follows, if any: the usual cause is a field of a later version
  // under an older apiVersion.
  const auto own = std::find(versions.begin(), versions.end(), *schema_version);
  for (auto newer = versions.rbegin(); newer != versions.rend() && &*newer != &*own; ++newer) {
    auto candidate = schema_of(kind.standard, *newer);
    if (!candidate || !(*candidate)->is_valid(root)) continue;
    out.push_back(Diagnostic{
        file, version_position, Severity::error, rule, api_version != nullptr ? "apiVersion" : "",
        fmt::format("the document does not follow {} {}, the version it declares, but it follows {} {}: declare "
                    "apiVersion: {}, or remove what {} does not have",
                    name, kind.declared_version.empty() ? *schema_version : kind.declared_version, name, *newer, *newer,
                    *schema_version)});
    break;
  }
}

}  // namespace meshctl::interop
