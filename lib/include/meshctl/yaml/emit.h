#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace meshctl::yaml {

// `value` as a YAML document in block style, ending with a line break: mappings
// keep the value's key order (nlohmann::json sorts keys, ordered_json keeps them as
// inserted), empty mappings and lists are `{}` and `[]`, null is `null`. It reads
// back as the same value, by meshctl's loader (YAML 1.2) and by YAML 1.1 readers
// alike: a string is double-quoted whenever writing it plain would read as anything
// else (`"true"`, `"12"`, `"null"`, `"yes"`, `"2027-01-31"`, `" x"`, `"a: b"`, ...)
// or when it holds characters YAML does not allow raw or that YAML 1.1 reads as line
// breaks (those are escaped). A byte that is not UTF-8 is written as U+FFFD, as
// json_text does.
std::string to_yaml(const nlohmann::json& value);
std::string to_yaml(const nlohmann::ordered_json& value);

// `text` as one YAML scalar for the value of a block mapping entry, quoted as
// to_yaml quotes strings: `orders`, `"Order lines: confirmed"`.
std::string yaml_string(std::string_view text);

}  // namespace meshctl::yaml
