#include "meshctl/core/json_text.h"

#include <catch2/catch.hpp>

using meshctl::json_text;

TEST_CASE("json_text writes bytes that are not UTF-8 as U+FFFD instead of throwing", "[core][json]") {
  const nlohmann::json value = {{"file", "caf\xe9.yaml"}, {"message", "x\x85y \x1b[31m"}};
  CHECK(json_text(value) == "{\"file\":\"caf\xef\xbf\xbd.yaml\",\"message\":\"x\xef\xbf\xbdy \\u001b[31m\"}");
  const nlohmann::ordered_json ordered = {{"b", "\xff"}, {"a", 1}};
  CHECK(json_text(ordered) == "{\"b\":\"\xef\xbf\xbd\",\"a\":1}");
  CHECK(json_text(nlohmann::json::array({1}), 2) == "[\n  1\n]");
}
