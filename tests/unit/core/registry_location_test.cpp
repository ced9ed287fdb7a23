#include "meshctl/core/registry_location.h"

#include <catch2/catch.hpp>

using namespace meshctl;

TEST_CASE("A registry location is a path, sqlite:PATH, a PostgreSQL URI or a server's URL", "[core]") {
  using Kind = RegistryLocation::Kind;
  CHECK(*parse_registry_location("reg.db") == RegistryLocation{Kind::sqlite, "reg.db"});
  CHECK(*parse_registry_location("sqlite:/tmp/r.db") == RegistryLocation{Kind::sqlite, "/tmp/r.db"});
  CHECK(*parse_registry_location("sqlite:relative/r.db") == RegistryLocation{Kind::sqlite, "relative/r.db"});
  CHECK(*parse_registry_location("postgresql://mesh:pw@db:5432/registry") ==
        RegistryLocation{Kind::postgres, "postgresql://mesh:pw@db:5432/registry"});
  CHECK(*parse_registry_location("postgres://db/registry") ==
        RegistryLocation{Kind::postgres, "postgres://db/registry"});
  CHECK(*parse_registry_location("https://h:8443/") == RegistryLocation{Kind::http, "https://h:8443"});
  CHECK(*parse_registry_location("http://127.0.0.1:1") == RegistryLocation{Kind::http, "http://127.0.0.1:1"});
}

TEST_CASE("A text that is no registry location is refused, naming the accepted forms and no password", "[core]") {
  for (const char* bad : {"", "sqlite:", "ftp://host", "mysql://root:hunter2@db/mesh", "sqlite:ftp://x"}) {
    INFO(bad);
    auto parsed = parse_registry_location(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == ErrorKind::invalid);
    CHECK(parsed.error().message.find("sqlite:PATH") != std::string::npos);
    CHECK(parsed.error().message.find("postgresql://") != std::string::npos);
    CHECK(parsed.error().message.find("hunter2") == std::string::npos);
  }
}
