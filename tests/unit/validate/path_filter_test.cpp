// --exclude and .meshctlignore: the glob matcher and the gitignore-like filter.
#include "meshctl/validate/path_filter.h"

#include <catch2/catch.hpp>

using meshctl::validate::glob_match;
using meshctl::validate::PathFilter;

TEST_CASE("glob_match: * and ? stay within a name, ** crosses folders", "[validate][path_filter]") {
  CHECK(glob_match("*.yml", "schema.yml"));
  CHECK_FALSE(glob_match("*.yml", "dbt/schema.yml"));
  CHECK(glob_match("dbt/*.yml", "dbt/schema.yml"));
  CHECK(glob_match("d?t/x", "dbt/x"));
  CHECK_FALSE(glob_match("d?t", "d/t"));
  CHECK(glob_match("**/schema.yml", "schema.yml"));
  CHECK(glob_match("**/schema.yml", "a/b/schema.yml"));
  CHECK(glob_match("dbt/**", "dbt/models/schema.yml"));
  CHECK(glob_match("a/**/z", "a/z"));
  CHECK(glob_match("a/**/z", "a/b/c/z"));
  CHECK_FALSE(glob_match("a/**/z", "b/z"));
  CHECK(glob_match("[a-c]x", "bx"));
  CHECK_FALSE(glob_match("[!a-c]x", "bx"));
  CHECK(glob_match("\\*", "*"));
  CHECK_FALSE(glob_match("\\*", "a"));
  CHECK(glob_match("[", "["));
}

TEST_CASE("PathFilter: names at any depth, anchored paths, folders only, negation", "[validate][path_filter]") {
  PathFilter filter;
  filter.add_lines("# comment\n\ndocker-compose.yml\n/top.yaml\nbuild/\n*.tmpl.yaml\n!keep.tmpl.yaml\n", "");
  CHECK(filter.excluded("docker-compose.yml", false));
  CHECK(filter.excluded("deploy/docker-compose.yml", false));
  CHECK(filter.excluded("top.yaml", false));
  CHECK_FALSE(filter.excluded("sub/top.yaml", false));
  CHECK(filter.excluded("build", true));
  CHECK(filter.excluded("a/build", true));
  CHECK_FALSE(filter.excluded("build", false));  // a file named build
  CHECK(filter.excluded("x/a.tmpl.yaml", false));
  CHECK_FALSE(filter.excluded("x/keep.tmpl.yaml", false));
  CHECK_FALSE(filter.excluded("orders.yaml", false));
}

TEST_CASE("PathFilter: a .meshctlignore below the folder given applies below its own folder",
          "[validate][path_filter]") {
  PathFilter filter;
  const auto outer = filter.size();
  filter.add_lines("legacy.yaml\n/local.yaml\r\n", "teams/a");
  CHECK(filter.excluded("teams/a/legacy.yaml", false));
  CHECK(filter.excluded("teams/a/x/legacy.yaml", false));
  CHECK_FALSE(filter.excluded("teams/b/legacy.yaml", false));
  CHECK(filter.excluded("teams/a/local.yaml", false));
  CHECK_FALSE(filter.excluded("teams/a/x/local.yaml", false));
  filter.truncate(outer);
  CHECK_FALSE(filter.excluded("teams/a/legacy.yaml", false));
}
