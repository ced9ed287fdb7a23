// Subscriptions, usage ingest and retirement rules against the embedded
// registry (LocalRegistry over a temporary SQLite file).

#include <chrono>

#include <catch2/catch.hpp>

#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"

namespace meshctl::registry {
namespace {

using std::chrono::hours;
using std::chrono::sys_days;

struct UsageFixture {
  testing::TemporaryFolder folder;
  ManualClock clock{sys_days{std::chrono::year{2026} / 11 / 23} + hours{12}};
  std::unique_ptr<LocalRegistry> registry;

  UsageFixture() {
    auto opened = LocalRegistry::open(folder.path() / "registry.db", "alice", clock);
    if (!opened.ok()) FAIL(opened.error().message);
    registry = std::move(*opened);
    REQUIRE(registry->publish(testing::make_manifest("sales", "orders", "1.0.0"), PublishMode::apply).ok());
    REQUIRE(registry->publish(testing::make_manifest("sales", "archive", "1.0.0"), PublishMode::apply).ok());
  }
};

const char* kEvents =
    R"({"id":"1","time":"2026-11-23T10:00:00Z","product":"sales/orders","port":"orders-table","consumer":"dash","rows":2})"
    "\n"
    R"({"id":"2","time":"2026-11-22T10:00:00Z","product":"sales/orders","port":"orders-table","consumer":"dash","rows":3})"
    "\n"
    R"({"id":"2","time":"2026-11-22T10:00:00Z","product":"sales/orders","port":"orders-table","consumer":"dash","rows":3})"
    "\n"
    R"({"id":"3","time":"2026-11-22T10:00:00Z","product":"sales/none","port":"p","consumer":"dash"})"
    "\n"
    "{oops\n"
    R"({"id":"4","time":"2026-11-22T10:00:00Z","product":"sales/orders","port":"orders-topic","consumer":"dash"})"
    "\n";

TEST_CASE("usage ingest is idempotent by id and reports bad lines by number", "[registry][usage]") {
  UsageFixture fixture;
  auto first = fixture.registry->report_usage(kEvents, 1);
  REQUIRE(first.ok());
  CHECK(first->accepted == 2);
  CHECK(first->duplicates == 1);
  REQUIRE(first->problems.size() == 3);
  CHECK(first->problems[0].line == 4);
  CHECK(first->problems[0].message == "no product sales/none in the registry");
  CHECK(first->problems[1].line == 5);
  CHECK(first->problems[2].line == 6);
  CHECK(first->problems[2].message == "sales/orders has no output port 'orders-topic' (its ports: orders-table)");
  auto again = fixture.registry->report_usage(kEvents, 1);
  REQUIRE(again.ok());
  CHECK(again->accepted == 0);
  CHECK(again->duplicates == 3);

  auto summary = fixture.registry->usage({"sales", "orders"}, {7});
  REQUIRE(summary.ok());
  CHECK(summary->events == 2);
  CHECK(summary->rows == 5);
  REQUIRE(summary->days.size() == 7);
  CHECK(summary->days[5].events == 1);
  CHECK(summary->days[6].events == 1);
  REQUIRE(summary->consumers.size() == 1);
  CHECK(summary->consumers[0].last_access == "2026-11-23T10:00:00Z");
  CHECK(summary->unsubscribed == std::vector<std::string>{"dash"});
}

TEST_CASE("retire is refused while consumers subscribe or used it lately, unless forced", "[registry][usage]") {
  UsageFixture fixture;
  REQUIRE(fixture.registry->subscribe({{"sales", "orders"}, "dash", "bi", "", "", ""}).ok());
  // Deprecated, its sunset comes before the 25th: only the consumers stand in the way.
  REQUIRE(fixture.registry->deprecate({{"sales", "orders"}, std::nullopt, "2026-11-24", "gone", std::nullopt}).ok());
  RetireRequest request;
  request.ref = {"sales", "orders"};
  auto refused = fixture.registry->retire(request);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::conflict);
  CHECK(refused.error().details["subscriptions"][0]["consumer"] == "dash");

  REQUIRE(fixture.registry->unsubscribe({{"sales", "orders"}, "dash", std::nullopt}).ok());
  REQUIRE(fixture.registry->report_usage(kEvents, 1).ok());
  refused = fixture.registry->retire(request);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().details["recentUsage"][0]["lastAccess"] == "2026-11-23T10:00:00Z");

  // The last use was on the 23rd: on the 25th a quiet period of 3 days still sees it, of 2 days not.
  fixture.clock.set(sys_days{std::chrono::year{2026} / 11 / 25});
  request.quiet_days = 3;
  REQUIRE_FALSE(fixture.registry->retire(request).ok());
  request.quiet_days = 2;
  REQUIRE(fixture.registry->retire(request).ok());

  // --force retires anyway, and the audit event says who was in the way.
  REQUIRE(fixture.registry->subscribe({{"sales", "archive"}, "report", "finance", "", "", ""}).ok());
  RetireRequest forced;
  forced.ref = {"sales", "archive"};
  forced.force = true;
  REQUIRE(fixture.registry->retire(forced).ok());
  auto history = fixture.registry->history({"sales", "archive"}, {});
  REQUIRE(history.ok());
  CHECK(history->front().action == "retire");
  CHECK_THAT(history->front().summary,
             Catch::Contains("by force while not deprecated; subscribed: report (team finance)"));
}

TEST_CASE("subscriptions: refused on retired products, warned on deprecated ones", "[registry][usage]") {
  UsageFixture fixture;
  DeprecateRequest deprecate;
  deprecate.ref = {"sales", "orders"};
  deprecate.sunset = "2027-01-31";
  deprecate.reason = "use sales/order-lines";
  REQUIRE(fixture.registry->deprecate(deprecate).ok());
  auto warned = fixture.registry->subscribe({{"sales", "orders"}, "dash", "bi", "", "^1", ""});
  REQUIRE(warned.ok());
  CHECK(warned->changed);
  REQUIRE(warned->warnings.size() == 1);
  CHECK_THAT(warned->warnings[0], Catch::Contains("sunset 2027-01-31"));
  CHECK_FALSE(fixture.registry->subscribe({{"sales", "orders"}, "dash", "bi", "", "^1", ""})->changed);

  RetireRequest retire;
  retire.ref = {"sales", "archive"};
  retire.force = true;  // subscriptions are tested here, not the road to retirement
  REQUIRE(fixture.registry->retire(retire).ok());
  auto refused = fixture.registry->subscribe({{"sales", "archive"}, "dash", "bi", "", "", ""});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::conflict);
  auto missing = fixture.registry->subscribe({{"sales", "nothing"}, "dash", "bi", "", "", ""});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::not_found);
}

TEST_CASE("describe names input ports reading deprecated or retired products", "[registry][usage]") {
  UsageFixture fixture;
  REQUIRE(fixture.registry
              ->publish(testing::make_manifest("finance", "revenue", "1.0.0", {"sales/orders"}), PublishMode::apply)
              .ok());
  DeprecateRequest deprecate;
  deprecate.ref = {"sales", "orders"};
  deprecate.sunset = "2027-01-31";
  deprecate.reason = "replaced";
  REQUIRE(fixture.registry->deprecate(deprecate).ok());
  auto details = fixture.registry->describe({"finance", "revenue"}, std::nullopt);
  REQUIRE(details.ok());
  REQUIRE(details->input_warnings.size() == 1);
  CHECK(details->input_warnings[0].status == LifecycleStatus::deprecated);
  CHECK(details->input_warnings[0].deprecation->sunset == "2027-01-31");
}

}  // namespace
}  // namespace meshctl::registry
