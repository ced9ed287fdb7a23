#include <fmt/format.h>

#include "meshctl/catalog/glossary.h"
#include "meshctl/catalog/json_reader.h"

namespace meshctl::registry {

nlohmann::json to_json(const TermRecord& term) {
  nlohmann::json value = manifest::to_json(term.term);
  value["domain"] = term.domain;
  value["glossary"] = term.glossary;
  value["glossaryVersion"] = term.version;
  value["owner"] = {{"team", term.owner.team}, {"email", term.owner.email}};
  return value;
}

Result<TermRecord> term_record_from_json(const nlohmann::json& value) {
  if (!value.is_object()) return make_error(ErrorKind::invalid, "term is not a JSON object");
  ObjectReader reader(value, "term");
  TermRecord record;
  record.domain = reader.string("domain");
  record.glossary = reader.string("glossary");
  record.version = reader.string("glossaryVersion");
  const auto& owner = reader.object("owner", false);
  if (!owner.is_null()) {
    ObjectReader owner_reader(owner, reader.path("owner"));
    record.owner = {owner_reader.string("team"), owner_reader.string("email")};
    reader.take(owner_reader);
  }
  if (!reader.ok()) return reader.error();
  nlohmann::json own = value;
  for (const char* key : {"domain", "glossary", "glossaryVersion", "owner"}) own.erase(key);
  auto term = manifest::glossary_term_from_json(own);
  if (!term) return term.error();
  record.term = std::move(*term);
  return record;
}

nlohmann::json to_json(const TermBinding& binding) {
  return {{"product", binding.product.text()},
          {"version", binding.version},
          {"port", binding.port},
          {"field", binding.field},
          {"term", binding.named}};
}

Result<TermBinding> term_binding_from_json(const nlohmann::json& value) {
  ObjectReader reader(value, "field");
  TermBinding binding;
  binding.product = reader.ref("product");
  binding.version = reader.string("version");
  binding.port = reader.string("port");
  binding.field = reader.string("field");
  binding.named = reader.string("term");
  return reader.finish(std::move(binding));
}

nlohmann::json to_json(const TermDetails& details) {
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& binding : details.fields) fields.push_back(to_json(binding));
  return {{"term", to_json(details.term)}, {"fields", std::move(fields)}};
}

Result<TermDetails> term_details_from_json(const nlohmann::json& value) {
  ObjectReader reader(value, "term details");
  const auto& term_json = reader.object("term");
  const auto& fields = reader.array("fields");
  if (!reader.ok()) return reader.error();
  TermDetails details;
  auto term = term_record_from_json(term_json);
  if (!term) return term.error();
  details.term = std::move(*term);
  for (const auto& field : fields) {
    auto binding = term_binding_from_json(field);
    if (!binding) return binding.error();
    details.fields.push_back(std::move(*binding));
  }
  return details;
}

nlohmann::json to_json(const GlossaryChange& change) {
  nlohmann::json value = {{"glossary", change.domain + "/" + change.name},
                {"action", to_string(change.action)},
                {"version", change.to_version},
                {"revision", change.revision},
                {"terms", change.terms}};
  if (change.action == ChangeAction::evolved) value["fromVersion"] = change.from_version;
  return value;
}

Result<GlossaryChange> glossary_change_from_json(const nlohmann::json& value) {
  ObjectReader reader(value, "glossary change");
  GlossaryChange change;
  const auto ref = reader.ref("glossary");
  change.domain = ref.domain;
  change.name = ref.name;
  const auto action = reader.string("action");
  if (action == "created") {
    change.action = ChangeAction::created;
  } else if (action == "evolved") {
    change.action = ChangeAction::evolved;
  } else if (action == "unchanged") {
    change.action = ChangeAction::unchanged;
  } else if (reader.ok()) {
    reader.fail(fmt::format("{}: '{}' is not created, evolved or unchanged", reader.path("action"), action));
  }
  change.from_version = reader.optional_string("fromVersion").value_or("");
  change.to_version = reader.string("version");
  change.revision = reader.integer("revision");
  change.terms = reader.integer("terms");
  return reader.finish(std::move(change));
}

}  // namespace meshctl::registry
