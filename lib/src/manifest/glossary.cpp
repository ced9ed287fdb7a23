#include "meshctl/manifest/glossary.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "meshctl/core/json_text.h"
#include "meshctl/core/semver.h"
#include "meshctl/core/text.h"
#include "meshctl/manifest/shape.h"

namespace meshctl::manifest {

namespace {

using nlohmann::json;
using yaml::Node;

std::string text_at(const Node& map, std::string_view key) {
  const Node* value = map.find(key);
  return value != nullptr && value->is_string() ? value->text : std::string();
}

std::vector<std::string> strings_at(const Node& map, std::string_view key) {
  std::vector<std::string> result;
  const Node* list = map.find(key);
  if (list == nullptr || !list->is_sequence()) return result;
  for (const auto& item : list->items) {
    if (item.is_string()) result.push_back(item.text);
  }
  return result;
}

class GlossaryRules {
 public:
  GlossaryRules(const std::string& file, std::vector<Diagnostic>& out) : file_(file), out_(out) {}

  void check(const Node& root) {
    if (const auto* metadata = root.find("metadata"); metadata != nullptr && metadata->is_mapping()) {
      if (const auto* version = metadata->find("version"); version != nullptr && version->is_string()) {
        if (!parse_version(version->text)) {
          report(version->position, "metadata.version",
                 fmt::format("'{}' is not a semantic version: write MAJOR.MINOR.PATCH, e.g. 1.0.0", version->text));
        }
      }
      for (const char* key : {"name", "domain"}) {
        const auto* value = metadata->find(key);
        if (value != nullptr && value->is_string() && !is_kebab_case(value->text)) {
          report(value->position, fmt::format("metadata.{}", key),
                 fmt::format("metadata.{} '{}' is not kebab-case: use lowercase words joined by '-'", key,
                             value->text));
        }
      }
    }
    const auto* terms = root.find("terms");
    if (terms == nullptr || !terms->is_sequence()) return;
    std::map<std::string, Position> seen;
    for (std::size_t i = 0; i < terms->items.size(); ++i) {
      const auto* name = terms->items[i].find("name");
      if (name != nullptr && name->is_string() && !seen.emplace(name->text, name->position).second) {
        const auto& first = seen[name->text];
        report(name->position, fmt::format("terms[{}].name", i),
               fmt::format("term '{}' is defined twice (first at line {}): keep one", name->text, first.line));
      }
    }
    for (std::size_t i = 0; i < terms->items.size(); ++i) check_term(terms->items[i], i);
  }

 private:
  void check_term(const Node& term, std::size_t index) {
    if (!term.is_mapping()) return;
    const auto path = fmt::format("terms[{}]", index);
    const auto* name = term.find("name");
    if (name != nullptr && name->is_string() && !is_kebab_case(name->text)) {
      report(name->position, path + ".name",
             fmt::format("term name '{}' is not kebab-case: use lowercase words joined by '-' (customer-email)",
                         name->text));
    }
    if (const auto* definition = term.find("definition");
        definition != nullptr && definition->is_string() && definition->text.find_first_not_of(" \t\n") ==
                                                                 std::string::npos) {
      report(definition->position, path + ".definition", "the definition is empty: say what the term means");
    }
    if (const auto* status = term.find("status"); status != nullptr && status->is_string()) {
      const bool known = std::find(std::begin(kTermStatuses), std::end(kTermStatuses), status->text) !=
                         std::end(kTermStatuses);
      if (!known) {
        std::vector<std::string_view> words(std::begin(kTermStatuses), std::end(kTermStatuses));
        const auto match = closest_match(status->text, words);
        report(status->position, path + ".status",
               fmt::format("status '{}' is not one of {}{}", status->text, join_words(words),
                           match ? fmt::format(": did you mean '{}'?", *match) : std::string()));
      }
    }
    if (const auto* related = term.find("related"); related != nullptr && related->is_sequence() && name != nullptr) {
      for (std::size_t j = 0; j < related->items.size(); ++j) {
        const auto& item = related->items[j];
        if (item.is_string() && item.text == name->text) {
          report(item.position, fmt::format("{}.related[{}]", path, j),
                 fmt::format("term '{}' is related to itself: name other terms", name->text));
        }
      }
    }
  }

  void report(Position position, std::string path, std::string message) {
    out_.push_back(
        Diagnostic{file_, position, Severity::error, "MESH-GLOSSARY-FORMAT", std::move(path), std::move(message)});
  }

  const std::string& file_;
  std::vector<Diagnostic>& out_;
};

// The first problem of a JSON document that is not a canonical glossary.
class Reader {
 public:
  std::string string(const json& object, const char* key, const std::string& path, bool required) {
    const auto found = object.find(key);
    if (found == object.end()) {
      if (required) fail(fmt::format("{}.{} is missing", path, key));
      return {};
    }
    if (!found->is_string()) return fail(fmt::format("{}.{} is not a string", path, key)), std::string();
    return found->get<std::string>();
  }
  std::vector<std::string> strings(const json& object, const char* key, const std::string& path) {
    std::vector<std::string> result;
    const auto found = object.find(key);
    if (found == object.end()) return result;
    if (!found->is_array()) return fail(fmt::format("{}.{} is not a list", path, key)), result;
    for (const auto& item : *found) {
      if (!item.is_string()) return fail(fmt::format("{}.{} holds a value that is not a string", path, key)), result;
      result.push_back(item.get<std::string>());
    }
    return result;
  }
  bool object(const json& value, const std::string& path, std::initializer_list<std::string_view> keys) {
    if (!value.is_object()) return fail(fmt::format("{} is not an object", path)), false;
    for (const auto& [key, member] : value.items()) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        return fail(fmt::format("{}: unknown key '{}'", path, key)), false;
      }
    }
    return true;
  }
  void fail(std::string message) {
    if (!error) error = make_error(ErrorKind::invalid, std::move(message));
  }
  std::optional<Error> error;
};

GlossaryTerm read_term(Reader& in, const json& value, const std::string& path) {
  GlossaryTerm term;
  if (!in.object(value, path,
                 {"name", "definition", "synonyms", "status", "related", "authoritativeDefinitions"})) {
    return term;
  }
  term.name = in.string(value, "name", path, true);
  term.definition = in.string(value, "definition", path, true);
  term.synonyms = in.strings(value, "synonyms", path);
  const auto status = in.string(value, "status", path, false);
  if (!status.empty()) term.status = status;
  term.related = in.strings(value, "related", path);
  if (const auto links = value.find("authoritativeDefinitions"); links != value.end()) {
    if (!links->is_array()) {
      in.fail(path + ".authoritativeDefinitions is not a list");
      return term;
    }
    for (std::size_t i = 0; i < links->size(); ++i) {
      const auto link_path = fmt::format("{}.authoritativeDefinitions[{}]", path, i);
      const auto& link = (*links)[i];
      if (!in.object(link, link_path, {"type", "url"})) return term;
      term.authoritative_definitions.push_back(
          {in.string(link, "type", link_path, true), in.string(link, "url", link_path, true)});
    }
  }
  return term;
}

void collect_field_terms(const std::vector<Field>& fields, const std::string& port, const std::string& prefix,
                         std::vector<FieldTerm>& out) {
  for (const auto& field : fields) {
    const auto name = prefix + field.name.value_or("");
    if (field.term) out.push_back({port, name, *field.term});
    collect_field_terms(field.fields, port, name + ".", out);
  }
}

}  // namespace

std::string document_kind(const yaml::Node& root) {
  const auto* kind = root.find("kind");
  return kind != nullptr && kind->is_string() ? kind->text : std::string();
}

void check_glossary(const yaml::Node& root, const std::string& file, std::vector<Diagnostic>& out) {
  check_glossary_shape(root, file, out);
  GlossaryRules(file, out).check(root);
}

Glossary decode_glossary(const yaml::Node& root) {
  Glossary glossary;
  if (const auto* metadata = root.find("metadata"); metadata != nullptr && metadata->is_mapping()) {
    glossary.metadata.name = text_at(*metadata, "name");
    glossary.metadata.domain = text_at(*metadata, "domain");
    glossary.metadata.version = text_at(*metadata, "version");
    if (const auto* description = metadata->find("description"); description != nullptr && description->is_string()) {
      glossary.metadata.description = description->text;
    }
    if (const auto* owner = metadata->find("owner"); owner != nullptr && owner->is_mapping()) {
      Owner decoded;
      if (const auto* team = owner->find("team"); team != nullptr && team->is_string()) decoded.team = team->text;
      if (const auto* email = owner->find("email"); email != nullptr && email->is_string()) decoded.email = email->text;
      glossary.metadata.owner = decoded;
    }
  }
  const auto* terms = root.find("terms");
  if (terms == nullptr || !terms->is_sequence()) return glossary;
  for (const auto& item : terms->items) {
    if (!item.is_mapping()) continue;
    GlossaryTerm term;
    term.name = text_at(item, "name");
    term.definition = text_at(item, "definition");
    term.synonyms = strings_at(item, "synonyms");
    if (auto status = text_at(item, "status"); !status.empty()) term.status = status;
    term.related = strings_at(item, "related");
    if (const auto* links = item.find("authoritativeDefinitions"); links != nullptr && links->is_sequence()) {
      for (const auto& link : links->items) {
        if (link.is_mapping()) term.authoritative_definitions.push_back({text_at(link, "type"), text_at(link, "url")});
      }
    }
    glossary.terms.push_back(std::move(term));
  }
  return glossary;
}

nlohmann::json to_json(const GlossaryTerm& term) {
  json value = {{"name", term.name}, {"definition", term.definition}, {"status", term.status}};
  if (!term.synonyms.empty()) value["synonyms"] = term.synonyms;
  if (!term.related.empty()) value["related"] = term.related;
  if (!term.authoritative_definitions.empty()) {
    json links = json::array();
    for (const auto& link : term.authoritative_definitions) links.push_back({{"type", link.type}, {"url", link.url}});
    value["authoritativeDefinitions"] = std::move(links);
  }
  return value;
}

nlohmann::json to_json(const Glossary& glossary) {
  json metadata = {{"name", glossary.metadata.name},
                   {"domain", glossary.metadata.domain},
                   {"version", glossary.metadata.version}};
  if (glossary.metadata.description) metadata["description"] = *glossary.metadata.description;
  if (glossary.metadata.owner) {
    json owner = json::object();
    if (glossary.metadata.owner->team) owner["team"] = *glossary.metadata.owner->team;
    if (glossary.metadata.owner->email) owner["email"] = *glossary.metadata.owner->email;
    metadata["owner"] = std::move(owner);
  }
  json terms = json::array();
  for (const auto& term : glossary.terms) terms.push_back(to_json(term));
  return {{"apiVersion", kApiVersion}, {"kind", kGlossaryKind}, {"metadata", std::move(metadata)},
          {"terms", std::move(terms)}};
}

Result<GlossaryTerm> glossary_term_from_json(const nlohmann::json& value, const std::string& path) {
  Reader in;
  auto term = read_term(in, value, path);
  if (in.error) return *in.error;
  return term;
}

Result<Glossary> glossary_from_json(const nlohmann::json& document) {
  Reader in;
  Glossary glossary;
  if (!in.object(document, "the glossary", {"apiVersion", "kind", "metadata", "terms"})) return *in.error;
  if (document.value("apiVersion", json()) != kApiVersion || document.value("kind", json()) != kGlossaryKind) {
    return make_error(ErrorKind::invalid, "not a glossary: apiVersion must be meshctl/v1 and kind Glossary");
  }
  const auto metadata = document.value("metadata", json());
  if (in.object(metadata, "metadata", {"name", "domain", "version", "description", "owner"})) {
    glossary.metadata.name = in.string(metadata, "name", "metadata", true);
    glossary.metadata.domain = in.string(metadata, "domain", "metadata", true);
    glossary.metadata.version = in.string(metadata, "version", "metadata", true);
    if (metadata.contains("description")) {
      glossary.metadata.description = in.string(metadata, "description", "metadata", true);
    }
    if (metadata.contains("owner")) {
      const auto& owner = metadata["owner"];
      if (in.object(owner, "metadata.owner", {"team", "email"})) {
        Owner decoded;
        if (owner.contains("team")) decoded.team = in.string(owner, "team", "metadata.owner", true);
        if (owner.contains("email")) decoded.email = in.string(owner, "email", "metadata.owner", true);
        glossary.metadata.owner = decoded;
      }
    }
  }
  const auto terms = document.value("terms", json());
  if (!terms.is_array()) {
    in.fail("terms is not a list");
  } else {
    for (std::size_t i = 0; i < terms.size() && !in.error; ++i) {
      glossary.terms.push_back(read_term(in, terms[i], fmt::format("terms[{}]", i)));
    }
  }
  if (in.error) return *in.error;
  return glossary;
}

std::string canonical_text(const Glossary& glossary) {
  return json_text(to_json(glossary));
}

std::vector<FieldTerm> field_terms(const DataProduct& product) {
  std::vector<FieldTerm> out;
  for (const auto& port : product.spec.output_ports) {
    if (!port.schema) continue;
    collect_field_terms(port.schema->fields, port.name.value_or(""), "", out);
  }
  return out;
}

}  // namespace meshctl::manifest
