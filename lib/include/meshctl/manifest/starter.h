#pragma once

#include <optional>
#include <string>

namespace meshctl::manifest {

// What `meshctl init` asks for. The starter manifest built from it passes the
// built-in standard as it is, so a team starts from a valid file and edits it.
struct StarterOptions {
  std::string name;                        // kebab-case, e.g. "orders"
  std::string domain;                      // kebab-case, e.g. "sales"
  std::string owner_team;                  // kebab-case, e.g. "sales-data"
  std::string owner_email;                 // e.g. "sales-data@example.com"
  std::optional<std::string> title;        // Default: the name in words ("order-lines" -> "Order lines")
  std::optional<std::string> description;  // Default: a sentence to replace, naming what to write
};

enum class StarterField { name, domain, owner_team, owner_email, title, description };

struct StarterProblem {
  StarterField field;
  std::string message;  // says what is wrong with the value and what would do
};

// The first value of `options` the starter cannot use; nullopt when every one is fine.
std::optional<StarterProblem> check_starter_options(const StarterOptions& options);

// The text of a starter DataProduct manifest (YAML, with comments that say what
// to fill in). REQUIRES: check_starter_options(options) is nullopt.
std::string starter_manifest(const StarterOptions& options);

// The text of a starter standards file (`kind: Standards`): extends the built-in
// default, with a commented example of each section (rules, custom, overrides).
std::string starter_standards();

}  // namespace meshctl::manifest
