#include "server/server_metrics.h"

#include <catch2/catch.hpp>

#include "server/http_support.h"

using meshctl::server::kProductPath;
using meshctl::server::kSegment;
using meshctl::server::method_label;
using meshctl::server::route_label;

TEST_CASE("a route's label names its captures, never holds a raw path", "[server][metrics]") {
  CHECK(route_label("/v1/products") == "/v1/products");
  CHECK(route_label(kProductPath) == "/v1/products/{domain}/{name}");
  CHECK(route_label(kProductPath + "/versions/" + kSegment) == "/v1/products/{domain}/{name}/versions/{version}");
  CHECK(route_label(kProductPath + "/subscriptions/" + kSegment) ==
        "/v1/products/{domain}/{name}/subscriptions/{subscription}");
  CHECK(route_label(std::string("/v1/tokens/") + kSegment + "/rotate") == "/v1/tokens/{token}/rotate");
}

TEST_CASE("a method the server does not know is labelled other", "[server][metrics]") {
  CHECK(method_label("GET") == "GET");
  CHECK(method_label("DELETE") == "DELETE");
  CHECK(method_label("BREW") == "other");
  CHECK(method_label("") == "other");
}
