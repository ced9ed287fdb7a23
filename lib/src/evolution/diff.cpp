// diff(): walks two manifests side by side, matching ports, fields and values by name.

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "evolution/type_widening.h"
#include "meshctl/core/json_text.h"
#include "meshctl/core/text.h"
#include "meshctl/evolution/evolution.h"

namespace meshctl::evolution {

namespace {

using manifest::DataProduct;
using manifest::Field;
using manifest::InputPort;
using manifest::OutputPort;
using manifest::QualityRule;
using manifest::Scalar;
using nlohmann::json;

// ------------------------------------------------------------ canonical JSON of parts

// The parts' canonical JSON comes from manifest::to_json, so a change's
// before/after is spelled exactly as the registry stores it. Used only for
// added and removed parts, so the detour through a one-part product is cheap.
json field_json(const Field& field) {
  DataProduct holder;
  holder.spec.output_ports.emplace_back().schema.emplace().fields.push_back(field);
  return manifest::to_json(holder)["spec"]["outputPorts"][0]["schema"]["fields"][0];
}

json output_port_json(const OutputPort& port) {
  DataProduct holder;
  holder.spec.output_ports.push_back(port);
  return manifest::to_json(holder)["spec"]["outputPorts"][0];
}

json input_port_json(const InputPort& port) {
  DataProduct holder;
  holder.spec.input_ports.push_back(port);
  return manifest::to_json(holder)["spec"]["inputPorts"][0];
}

json quality_rule_json(const QualityRule& rule) {
  OutputPort port;
  port.quality.push_back(rule);
  return output_port_json(port)["quality"][0];
}

json scalar_json(const Scalar& scalar) {
  return std::visit([](const auto& value) { return json(value); }, scalar);
}

template <typename T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json owner_json(const std::optional<manifest::Owner>& owner) {
  if (!owner) return nullptr;
  json out = json::object();
  if (owner->team) out["team"] = *owner->team;
  if (owner->email) out["email"] = *owner->email;
  return out;
}

// A value as it appears inside a path or a message: strings bare, others as JSON.
std::string label_of(const json& value) {
  return value.is_string() ? value.get<std::string>() : json_text(value);
}

// ------------------------------------------------------------ matching by key

// Calls on_match(before, after) for items with equal keys, on_added(after) for
// the rest of `after` (in its order), then on_removed(before) for the
// unmatched rest of `before` (in its order). Hash-based: linear in the sizes.
// Repeated keys pair up in order of appearance.
template <typename Item, typename KeyOf, typename OnMatch, typename OnAdded, typename OnRemoved>
void match_by_key(const std::vector<Item>& before, const std::vector<Item>& after, KeyOf key_of, OnMatch on_match,
                  OnAdded on_added, OnRemoved on_removed) {
  std::vector<std::string> keys;
  keys.reserve(before.size());
  for (const auto& item : before) keys.push_back(key_of(item));
  std::unordered_map<std::string_view, std::vector<std::size_t>> index;
  index.reserve(before.size());
  for (std::size_t i = keys.size(); i-- > 0;) index[keys[i]].push_back(i);  // reversed: pop_back takes the first
  std::vector<bool> matched(before.size(), false);
  for (const auto& item : after) {
    const auto key = key_of(item);
    const auto found = index.find(key);
    if (found == index.end() || found->second.empty()) {
      on_added(item, key);
      continue;
    }
    const std::size_t position = found->second.back();
    found->second.pop_back();
    matched[position] = true;
    on_match(before[position], item, key);
  }
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (!matched[i]) on_removed(before[i], keys[i]);
  }
}

// ------------------------------------------------------------ SLO values

// "15m" -> seconds; nullopt when not a duration (core/text.h parse_duration).
std::optional<double> duration_seconds(const std::string& text) {
  const auto seconds = parse_duration(text);
  if (!seconds) return std::nullopt;
  return static_cast<double>(*seconds);
}

// "99.9%" -> 99.9; nullopt when not digits with at most one dot, then '%'.
std::optional<double> percentage(const std::string& text) {
  if (text.size() < 2 || text.back() != '%') return std::nullopt;
  double value = 0;
  double scale = 0;  // 0 before the dot, then 0.1, 0.01, ...
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && scale == 0 && i > 0) {
      scale = 0.1;
    } else if (c >= '0' && c <= '9') {
      if (scale == 0) {
        value = value * 10 + (c - '0');
      } else {
        value += scale * (c - '0');
        scale /= 10;
      }
    } else {
      return std::nullopt;
    }
  }
  return value;
}

// Classification levels, least protected first. A field without one ranks below public.
std::optional<int> classification_rank(const std::optional<std::string>& level) {
  if (!level) return -1;
  static const std::unordered_map<std::string_view, int> kRanks = {
      {"public", 0}, {"internal", 1}, {"confidential", 2}, {"restricted", 3}};
  const auto found = kRanks.find(*level);
  if (found == kRanks.end()) return std::nullopt;
  return found->second;
}

std::string or_none(const std::optional<std::string>& value) {
  return value ? "'" + *value + "'" : std::string("none");
}

// ------------------------------------------------------------ the walk

class Differ {
 public:
  explicit Differ(Compatibility mode) : mode_(mode) {}

  void product(const DataProduct& before, const DataProduct& after) {
    metadata(before.metadata, after.metadata);
    const auto old_mode = before.effective_compatibility();
    const auto new_mode = after.effective_compatibility();
    if (old_mode != new_mode) {
      add("compatibility-changed", "spec.compatibility", old_mode, new_mode,
          fmt::format("compatibility changed from {} to {}", old_mode, new_mode));
    }
    input_ports(before.spec.input_ports, after.spec.input_ports);
    output_ports(before.spec.output_ports, after.spec.output_ports);
  }

  Diff finish() && { return std::move(diff_); }

 private:
  void add(const char* kind, std::string path, json before, json after, std::string message) {
    const auto* row = find_change_kind(kind);
    Change change;
    change.kind = kind;
    change.path = std::move(path);
    change.before = std::move(before);
    change.after = std::move(after);
    change.breaking = is_breaking(kind, mode_);
    change.required_bump = change.breaking ? Bump::major : (row ? row->bump_when_compatible : Bump::major);
    change.message = std::move(message);
    if (change.breaking) ++diff_.breaking;
    if (change.required_bump > diff_.required_bump) diff_.required_bump = change.required_bump;
    diff_.changes.push_back(std::move(change));
  }

  void description(const std::optional<std::string>& before, const std::optional<std::string>& after,
                   const std::string& owner_path, std::string_view what) {
    if (before == after) return;
    add("description-changed", owner_path + ".description", optional_json(before), optional_json(after),
        fmt::format("description of {} changed", what));
  }

  // ---------------------------------------------------------- metadata

  void metadata(const manifest::Metadata& before, const manifest::Metadata& after) {
    if (before.domain != after.domain) {
      add("identity-changed", "metadata.domain", before.domain, after.domain,
          fmt::format("domain changed from '{}' to '{}'", before.domain, after.domain));
    }
    if (before.name != after.name) {
      add("identity-changed", "metadata.name", before.name, after.name,
          fmt::format("name changed from '{}' to '{}'", before.name, after.name));
    }
    if (before.title != after.title) {
      add("title-changed", "metadata.title", optional_json(before.title), optional_json(after.title),
          fmt::format("title changed from {} to {}", or_none(before.title), or_none(after.title)));
    }
    description(before.description, after.description, "metadata", "the product");
    if (before.owner != after.owner) {
      add("owner-changed", "metadata.owner", owner_json(before.owner), owner_json(after.owner), "owner changed");
    }
    auto same = [](const std::string& tag) { return tag; };
    match_by_key(
        before.tags, after.tags, same, [](const auto&, const auto&, const auto&) {},
        [&](const std::string& tag, const std::string&) {
          add("tag-added", fmt::format("metadata.tags[{}]", tag), nullptr, tag, fmt::format("tag '{}' added", tag));
        },
        [&](const std::string& tag, const std::string&) {
          add("tag-removed", fmt::format("metadata.tags[{}]", tag), tag, nullptr, fmt::format("tag '{}' removed", tag));
        });
    labels(before.labels, after.labels);
  }

  void labels(const std::map<std::string, std::string>& before, const std::map<std::string, std::string>& after) {
    for (const auto& [key, value] : after) {
      const auto found = before.find(key);
      const auto path = fmt::format("metadata.labels[{}]", key);
      if (found == before.end()) {
        add("label-added", path, nullptr, value, fmt::format("label '{}' added", key));
      } else if (found->second != value) {
        add("label-changed", path, found->second, value,
            fmt::format("label '{}' changed from '{}' to '{}'", key, found->second, value));
      }
    }
    for (const auto& [key, value] : before) {
      if (after.count(key) == 0) {
        add("label-removed", fmt::format("metadata.labels[{}]", key), value, nullptr,
            fmt::format("label '{}' removed", key));
      }
    }
  }

  // ---------------------------------------------------------- input ports

  static std::string input_key(const InputPort& port) { return port.name.value_or(port.product.value_or("")); }

  void input_ports(const std::vector<InputPort>& before, const std::vector<InputPort>& after) {
    match_by_key(
        before, after, input_key,
        [&](const InputPort& old_port, const InputPort& new_port, const std::string& key) {
          const auto path = fmt::format("spec.inputPorts[{}]", key);
          description(old_port.description, new_port.description, path, fmt::format("input port '{}'", key));
          if (old_port.product != new_port.product) {
            add("input-port-changed", path + ".product", optional_json(old_port.product),
                optional_json(new_port.product),
                fmt::format("input port '{}' reads {} instead of {}", key, or_none(new_port.product),
                            or_none(old_port.product)));
          }
          if (old_port.version != new_port.version) {
            add("input-port-changed", path + ".version", optional_json(old_port.version),
                optional_json(new_port.version),
                fmt::format("input port '{}' version constraint changed from {} to {}", key, or_none(old_port.version),
                            or_none(new_port.version)));
          }
        },
        [&](const InputPort& port, const std::string& key) {
          add("input-port-added", fmt::format("spec.inputPorts[{}]", key), nullptr, input_port_json(port),
              fmt::format("input port '{}' added", key));
        },
        [&](const InputPort& port, const std::string& key) {
          add("input-port-removed", fmt::format("spec.inputPorts[{}]", key), input_port_json(port), nullptr,
              fmt::format("input port '{}' removed", key));
        });
  }

  // ---------------------------------------------------------- output ports

  static std::string name_key(const OutputPort& port) { return port.name.value_or(""); }

  void output_ports(const std::vector<OutputPort>& before, const std::vector<OutputPort>& after) {
    match_by_key(
        before, after, name_key,
        [&](const OutputPort& old_port, const OutputPort& new_port, const std::string& key) {
          if (!(old_port == new_port)) output_port(old_port, new_port, key);
        },
        [&](const OutputPort& port, const std::string& key) {
          add("output-port-added", fmt::format("spec.outputPorts[{}]", key), nullptr, output_port_json(port),
              fmt::format("output port '{}' added", key));
        },
        [&](const OutputPort& port, const std::string& key) {
          add("output-port-removed", fmt::format("spec.outputPorts[{}]", key), output_port_json(port), nullptr,
              fmt::format("output port '{}' removed", key));
        });
  }

  void port_value(const char* kind, const char* key, const std::optional<std::string>& before,
                  const std::optional<std::string>& after, const std::string& path, const std::string& port) {
    if (before == after) return;
    add(kind, path + "." + key, optional_json(before), optional_json(after),
        fmt::format("{} of output port '{}' changed from {} to {}", key, port, or_none(before), or_none(after)));
  }

  void output_port(const OutputPort& before, const OutputPort& after, const std::string& name) {
    const auto path = fmt::format("spec.outputPorts[{}]", name);
    description(before.description, after.description, path, fmt::format("output port '{}'", name));
    port_value("port-type-changed", "type", before.type, after.type, path, name);
    port_value("port-format-changed", "format", before.format, after.format, path, name);
    port_value("port-location-changed", "location", before.location, after.location, path, name);
    static const std::vector<Field> kNoFields;
    const auto& old_fields = before.schema ? before.schema->fields : kNoFields;
    const auto& new_fields = after.schema ? after.schema->fields : kNoFields;
    fields(old_fields, new_fields, path + ".schema.fields");
    slo(before.slo.value_or(manifest::Slo{}), after.slo.value_or(manifest::Slo{}), path + ".slo");
    quality(before.quality, after.quality, path + ".quality");
  }

  // ---------------------------------------------------------- fields

  static std::string field_key(const Field& field) { return field.name.value_or(""); }

  void fields(const std::vector<Field>& before, const std::vector<Field>& after, const std::string& prefix) {
    match_by_key(
        before, after, field_key,
        [&](const Field& old_field, const Field& new_field, const std::string& key) {
          if (!(old_field == new_field)) field(old_field, new_field, prefix + "[" + key + "]", key);
        },
        [&](const Field& added, const std::string& key) {
          const bool required = added.required.value_or(false);
          add(required ? "field-added-required" : "field-added-optional", prefix + "[" + key + "]", nullptr,
              field_json(added), fmt::format("field '{}' added ({})", key, required ? "required" : "optional"));
        },
        [&](const Field& removed, const std::string& key) {
          add("field-removed", prefix + "[" + key + "]", field_json(removed), nullptr,
              fmt::format("field '{}' removed", key));
        });
  }

  void type_change(const std::optional<std::string>& before, const std::optional<std::string>& after,
                   const std::string& path, std::string_view what) {
    if (before == after) return;
    const char* kind = "field-type-changed";
    const char* verb = "changed";
    if (before && after && is_widening(*before, *after)) {
      kind = "field-type-widened";
      verb = "widened";
    } else if (before && after && is_widening(*after, *before)) {
      kind = "field-type-narrowed";
      verb = "narrowed";
    }
    add(kind, path, optional_json(before), optional_json(after),
        fmt::format("{} {} from {} to {}", what, verb, or_none(before), or_none(after)));
  }

  void flag(bool before, bool after, const char* set_kind, const char* cleared_kind, const std::string& path,
            std::string message_set, std::string message_cleared) {
    if (before == after) return;
    add(after ? set_kind : cleared_kind, path, before, after,
        after ? std::move(message_set) : std::move(message_cleared));
  }

  void field(const Field& before, const Field& after, const std::string& path, const std::string& name) {
    type_change(before.type, after.type, path + ".type", fmt::format("type of field '{}'", name));
    type_change(before.items, after.items, path + ".items", fmt::format("item type of field '{}'", name));
    flag(before.required.value_or(false), after.required.value_or(false), "field-made-required", "field-made-optional",
         path + ".required", fmt::format("field '{}' made required", name),
         fmt::format("field '{}' made optional", name));
    flag(before.unique.value_or(false), after.unique.value_or(false), "field-unique-added", "field-unique-dropped",
         path + ".unique", fmt::format("field '{}' is now unique", name),
         fmt::format("field '{}' is no longer unique", name));
    description(before.description, after.description, path, fmt::format("field '{}'", name));
    classification(before.classification, after.classification, path + ".classification", name);
    flag(before.pii.value_or(false), after.pii.value_or(false), "field-pii-set", "field-pii-cleared", path + ".pii",
         fmt::format("field '{}' is now PII", name), fmt::format("field '{}' is no longer PII", name));
    if (before.term != after.term) {
      add("field-term-changed", path + ".term", optional_json(before.term), optional_json(after.term),
          fmt::format("term of field '{}' changed from {} to {}", name, or_none(before.term), or_none(after.term)));
    }
    enum_values(before.enum_values, after.enum_values, path + ".enum", name);
    fields(before.fields, after.fields, path + ".fields");
  }

  void classification(const std::optional<std::string>& before, const std::optional<std::string>& after,
                      const std::string& path, const std::string& name) {
    if (before == after) return;
    const auto old_rank = classification_rank(before);
    const auto new_rank = classification_rank(after);
    const char* kind = "field-classification-changed";
    if (old_rank && new_rank)
      kind = *new_rank > *old_rank ? "field-classification-stricter" : "field-classification-looser";
    add(kind, path, optional_json(before), optional_json(after),
        fmt::format("classification of field '{}' changed from {} to {}", name, or_none(before), or_none(after)));
  }

  void enum_values(const std::vector<Scalar>& before, const std::vector<Scalar>& after, const std::string& path,
                   const std::string& name) {
    if (before == after) return;
    auto values_json = [](const std::vector<Scalar>& values) {
      json out = json::array();
      for (const auto& value : values) out.push_back(scalar_json(value));
      return out;
    };
    if (before.empty()) {
      add("enum-restricted", path, nullptr, values_json(after),
          fmt::format("field '{}' now allows only listed values", name));
      return;
    }
    if (after.empty()) {
      add("enum-unrestricted", path, values_json(before), nullptr,
          fmt::format("field '{}' no longer restricts its values", name));
      return;
    }
    auto key_of = [](const Scalar& value) { return json_text(scalar_json(value)); };
    match_by_key(
        before, after, key_of, [](const auto&, const auto&, const auto&) {},
        [&](const Scalar& value, const std::string&) {
          const auto label = label_of(scalar_json(value));
          add("enum-value-added", fmt::format("{}[{}]", path, label), nullptr, scalar_json(value),
              fmt::format("allowed value '{}' added to field '{}'", label, name));
        },
        [&](const Scalar& value, const std::string&) {
          const auto label = label_of(scalar_json(value));
          add("enum-value-removed", fmt::format("{}[{}]", path, label), scalar_json(value), nullptr,
              fmt::format("allowed value '{}' removed from field '{}'", label, name));
        });
  }

  // ---------------------------------------------------------- SLO and quality

  // `lower_is_weaker`: availability (lower promises less); freshness is the reverse.
  void slo_value(const std::optional<std::string>& before, const std::optional<std::string>& after,
                 std::optional<double> (*parse)(const std::string&), double absent, const char* weaker_kind,
                 const char* stronger_kind, bool lower_is_weaker, const std::string& path, const char* what) {
    if (before == after) return;
    const auto old_value = before ? parse(*before) : std::optional<double>(absent);
    const auto new_value = after ? parse(*after) : std::optional<double>(absent);
    const char* kind = "slo-changed";
    if (old_value && new_value) {
      if (*old_value == *new_value) return;  // the same promise spelled differently ("60m" and "1h")
      const bool weaker = lower_is_weaker ? *new_value < *old_value : *new_value > *old_value;
      kind = weaker ? weaker_kind : stronger_kind;
    }
    add(kind, path, optional_json(before), optional_json(after),
        fmt::format("{} changed from {} to {}", what, or_none(before), or_none(after)));
  }

  void slo(const manifest::Slo& before, const manifest::Slo& after, const std::string& path) {
    slo_value(before.freshness, after.freshness, duration_seconds, std::numeric_limits<double>::infinity(),
              "slo-freshness-longer", "slo-freshness-shorter", false, path + ".freshness", "SLO freshness");
    slo_value(before.availability, after.availability, percentage, 0.0, "slo-availability-lower",
              "slo-availability-higher", true, path + ".availability", "SLO availability");
  }

  // A quality rule's identity is its content without the description.
  static std::string quality_key(const QualityRule& rule) {
    QualityRule bare = rule;
    bare.description.reset();
    return json_text(quality_rule_json(bare));
  }

  static std::string quality_label(const QualityRule& rule) {
    const auto name = rule.rule.value_or("rule");
    return rule.field ? fmt::format("{}({})", name, *rule.field) : name;
  }

  void quality(const std::vector<QualityRule>& before, const std::vector<QualityRule>& after,
               const std::string& prefix) {
    if (before == after) return;
    match_by_key(
        before, after, quality_key,
        [&](const QualityRule& old_rule, const QualityRule& new_rule, const std::string&) {
          const auto label = quality_label(new_rule);
          description(old_rule.description, new_rule.description, fmt::format("{}[{}]", prefix, label),
                      fmt::format("quality rule {}", label));
        },
        [&](const QualityRule& rule, const std::string&) {
          const auto label = quality_label(rule);
          add("quality-rule-added", fmt::format("{}[{}]", prefix, label), nullptr, quality_rule_json(rule),
              fmt::format("quality rule {} added", label));
        },
        [&](const QualityRule& rule, const std::string&) {
          const auto label = quality_label(rule);
          add("quality-rule-removed", fmt::format("{}[{}]", prefix, label), quality_rule_json(rule), nullptr,
              fmt::format("quality rule {} removed", label));
        });
  }

  Compatibility mode_;
  Diff diff_;
};

}  // namespace

Diff diff(const DataProduct& before, const DataProduct& after) {
  return diff(before, after, compatibility_of(after));
}

Diff diff(const DataProduct& before, const DataProduct& after, Compatibility mode) {
  Differ differ(base_mode(mode));
  differ.product(before, after);
  return std::move(differ).finish();
}

}  // namespace meshctl::evolution
