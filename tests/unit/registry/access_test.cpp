// Tenancy and credentials in RegistryService: tokens (format, hash, constant
// time), authentication, and who may write what, refusals audited.

#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "meshctl/core/clock.h"
#include "meshctl/registry/service.h"
#include "meshctl/registry/token.h"
#include "meshctl/store/sqlite/sqlite_store.h"
#include "registry/raw_sqlite.h"
#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"

namespace meshctl::registry {
namespace {

using testing::test_clock;

using testing::make_manifest;
using testing::TemporaryFolder;

constexpr const char* kInvalidTokenMessage =
    "the token is not valid: ask an admin for a new one (meshctl token create)";

template <typename T>
T expect_ok(Result<T> result) {
  if (!result.ok()) FAIL(result.error().message);
  return std::move(result.value());
}

template <typename T>
Error expect_error(const Result<T>& result, ErrorKind kind) {
  REQUIRE_FALSE(result.ok());
  INFO(result.error().message);
  CHECK(result.error().kind == kind);
  return result.error();
}

// A service over a fresh SQLite file, seeded by the local operator (no
// principal): domains sales and payments, one product in each, and a token
// per kind of principal.
class Fixture {
 public:
  Fixture() : store_(expect_ok(SqliteStore::open(folder_.path() / "r.db"))), service_(*store_, test_clock()) {
    expect_ok(service_.create_domain(operator_, {"sales", "sales-data"}));
    expect_ok(service_.create_domain(operator_, {"payments", "payments-core"}));
    expect_ok(service_.publish(operator_, make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
    expect_ok(service_.publish(operator_, make_manifest("payments", "refunds", "1.0.0"), PublishMode::apply));
    admin_ = token("root", Role::admin, {});
    sales_owner_ = token("ci-sales", Role::owner, {"sales"});
    payments_owner_ = token("ci-payments", Role::owner, {"payments"});
    reader_ = token("dashboards", Role::reader, {});
  }

  NewToken token(const std::string& name, Role role, std::vector<std::string> domains) {
    return expect_ok(service_.create_token(operator_, {name, role, std::move(domains)}));
  }
  Caller as(const NewToken& token) {
    const auto principal = expect_ok(service_.authenticate(token.secret));
    return {principal.name, principal};
  }

  // Every audit event with `action`, from the raw store (history is per product).
  std::vector<AuditEvent> audit(const ProductRef& ref, const std::string& action) {
    auto transaction = expect_ok(store_->begin(TransactionMode::read));
    std::vector<AuditEvent> found;
    for (auto& event : expect_ok(transaction->history(ref, 1000, 0))) {
      if (event.action == action) found.push_back(event);
    }
    return found;
  }

  TemporaryFolder folder_;
  std::unique_ptr<SqliteStore> store_;
  RegistryService service_;
  Caller operator_{"operator", std::nullopt};
  NewToken admin_, sales_owner_, payments_owner_, reader_;
};

TEST_CASE("A token is mesh_<id>_<secret> from 320 random bits", "[registry][access]") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto parts = expect_ok(token::generate());
    CHECK(parts.token_id.size() == 16);
    CHECK(parts.secret.size() == 64);  // 256 bits of secret
    const auto text = token::text_of(parts);
    CHECK(text.rfind("mesh_", 0) == 0);
    const auto parsed = token::parse(text);
    REQUIRE(parsed);
    CHECK(parsed->token_id == parts.token_id);
    CHECK(parsed->secret == parts.secret);
    CHECK(seen.insert(parts.secret).second);
    CHECK(seen.insert(parts.token_id).second);
  }
  // Rough entropy check: across 100 secrets every hex digit appears, near-uniformly.
  std::map<char, int> digits;
  for (const auto& value : seen) {
    for (const char c : value) ++digits[c];
  }
  CHECK(digits.size() == 16);
  for (const auto& [digit, count] : digits) CHECK(count > 300);  // expected ~500 each
}

TEST_CASE("Malformed tokens are refused before any lookup", "[registry][access]") {
  const auto good = token::text_of(expect_ok(token::generate()));
  CHECK(token::parse(good));
  for (const auto& bad : std::vector<std::string>{
           std::string(), std::string("mesh_"), good.substr(0, good.size() - 1), good + "0", "MESH" + good.substr(4),
           good.substr(0, 21) + "-" + good.substr(22), good.substr(0, 10) + "G" + good.substr(11),
           good.substr(0, 30) + "A" + good.substr(31), "Bearer " + good}) {
    INFO(bad);
    CHECK_FALSE(token::parse(bad));
  }
}

TEST_CASE("Secrets are kept as SHA-256 and compared whole", "[registry][access]") {
  CHECK(token::hash_secret("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const auto hash = token::hash_secret("secret");
  CHECK(token::same_hash(hash, token::hash_secret("secret")));
  CHECK_FALSE(token::same_hash(hash, token::hash_secret("secreT")));
  CHECK_FALSE(token::same_hash(hash, hash.substr(0, 63)));
  CHECK_FALSE(token::same_hash("", ""));
}

TEST_CASE("authenticate answers good tokens and one message for every bad one", "[registry][access]") {
  Fixture fixture;
  auto& service = fixture.service_;
  const auto principal = expect_ok(service.authenticate(fixture.sales_owner_.secret));
  CHECK(principal.name == "ci-sales");
  CHECK(principal.role == Role::owner);
  CHECK(principal.domains == std::vector<std::string>{"sales"});

  const auto other = token::text_of(expect_ok(token::generate()));
  auto parts = *token::parse(fixture.sales_owner_.secret);
  parts.secret[0] = parts.secret[0] == 'a' ? 'b' : 'a';
  const auto wrong_secret = token::text_of(parts);
  expect_ok(service.revoke_token(fixture.operator_, "dashboards"));
  for (const auto& bad : {std::string("not-a-token"), other, wrong_secret, fixture.reader_.secret}) {
    const auto error = expect_error(service.authenticate(bad), ErrorKind::unauthenticated);
    CHECK(error.message == kInvalidTokenMessage);
    CHECK(error.message.find(bad) == std::string::npos);
  }
}

TEST_CASE("The store keeps neither the token nor its secret", "[registry][access]") {
  Fixture fixture;
  const auto& created = fixture.sales_owner_;
  const auto parts = *token::parse(created.secret);
  auto transaction = expect_ok(fixture.store_->begin(TransactionMode::read));
  const auto credential = expect_ok(transaction->find_credential(parts.token_id));
  REQUIRE(credential);
  CHECK(credential->second == token::hash_secret(parts.secret));
  CHECK(credential->first.name == "ci-sales");
  transaction.reset();
  fixture.store_.reset();
  std::ifstream file(fixture.folder_.path() / "r.db", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::ifstream wal(fixture.folder_.path() / "r.db-wal", std::ios::binary);
  const std::string wal_bytes((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
  CHECK(bytes.find(parts.secret) == std::string::npos);
  CHECK(wal_bytes.find(parts.secret) == std::string::npos);
}

TEST_CASE("Product writes need admin or owner of the product's domain", "[registry][access]") {
  Fixture fixture;
  auto& service = fixture.service_;
  const ProductRef orders{"sales", "orders"};

  SECTION("no principal, admin and the domain's owner may write") {
    int version = 1;
    for (const auto& caller : {fixture.operator_, fixture.as(fixture.admin_), fixture.as(fixture.sales_owner_)}) {
      const auto next = "1." + std::to_string(version++) + ".0";
      expect_ok(service.publish(caller, make_manifest("sales", "orders", next), PublishMode::apply));
      expect_ok(service.plan(caller, {make_manifest("sales", "orders", "9.0.0")}, PublishMode::apply));
    }
    const auto owner = fixture.as(fixture.sales_owner_);
    auto plan = expect_ok(service.plan(owner, {make_manifest("sales", "lines", "1.0.0")}, PublishMode::apply));
    expect_ok(service.execute(owner, plan));
    expect_ok(service.deprecate(owner, {orders, std::nullopt, "2027-01-01", "replaced", std::nullopt}));
    expect_ok(service.retire(
        owner, {{"sales", "lines"}, true, "", std::nullopt}));  // access, not the lifecycle, is tested here
    CHECK(fixture.audit(orders, "forbidden").empty());
  }

  SECTION("another domain's owner and a reader are refused, and each refusal is audited") {
    for (const auto* token : {&fixture.payments_owner_, &fixture.reader_}) {
      const auto caller = fixture.as(*token);
      const auto error = expect_error(
          service.publish(caller, make_manifest("sales", "orders", "2.0.0"), PublishMode::apply), ErrorKind::forbidden);
      CHECK(error.details["domain"] == "sales");
      CHECK(error.details["principal"] == caller.principal->name);
      CHECK(error.details["role"] == to_string(caller.principal->role));
      CHECK(error.message.find("'sales'") != std::string::npos);
      expect_error(service.plan(caller, {make_manifest("sales", "orders", "2.0.0")}, PublishMode::apply),
                   ErrorKind::forbidden);
      ApplyPlan plan{
          PublishMode::apply,
          {{{orders, ChangeAction::evolved, "1.0.0", "2.0.0", 1}, make_manifest("sales", "orders", "2.0.0"),
            std::nullopt}},
          {},
          {}};
      expect_error(service.execute(caller, plan), ErrorKind::forbidden);
      expect_error(service.deprecate(caller, {orders, std::nullopt, "2027-01-01", "x", std::nullopt}),
                   ErrorKind::forbidden);
      expect_error(service.retire(caller, {orders, true, "", std::nullopt}), ErrorKind::forbidden);
    }
    // Nothing was written; five refusals for each of two principals were recorded.
    const auto product = expect_ok(service.get_product(orders));
    CHECK(product.latest_version == "1.0.0");
    CHECK(product.status == LifecycleStatus::active);
    const auto refused = fixture.audit(orders, "forbidden");
    REQUIRE(refused.size() == 10);
    std::set<std::string> actors;
    for (const auto& event : refused) actors.insert(event.actor);
    CHECK(actors == std::set<std::string>{"ci-payments", "dashboards"});
    CHECK(refused.back().summary.find("publish sales/orders@2.0.0") != std::string::npos);
    CHECK(refused.back().summary.find("owner of sales") != std::string::npos);
  }

  SECTION("a domain nobody created is not_found on a server, created on first use locally") {
    const auto admin = fixture.as(fixture.admin_);
    const auto error = expect_error(
        service.publish(admin, make_manifest("marketing", "leads", "1.0.0"), PublishMode::apply), ErrorKind::not_found);
    CHECK(
        error.message ==
        "domain marketing does not exist: an admin creates it with meshctl domain create marketing --owner-team TEAM");
    expect_error(service.plan(admin, {make_manifest("marketing", "leads", "1.0.0")}, PublishMode::apply),
                 ErrorKind::not_found);
    expect_ok(service.publish(fixture.operator_, make_manifest("marketing", "leads", "1.0.0"), PublishMode::apply));
  }
}

TEST_CASE("Domains and tokens are managed by admins only", "[registry][access]") {
  Fixture fixture;
  auto& service = fixture.service_;
  const auto admin = fixture.as(fixture.admin_);
  expect_ok(service.create_domain(admin, {"marketing", "growth"}));
  expect_ok(service.create_token(admin, {"ci-marketing", Role::owner, {"marketing"}}));
  CHECK(expect_ok(service.list_tokens(admin)).size() == 5);
  expect_ok(service.revoke_token(admin, "ci-marketing"));

  for (const auto* token : {&fixture.sales_owner_, &fixture.reader_}) {
    const auto caller = fixture.as(*token);
    expect_error(service.create_domain(caller, {"hr", "people"}), ErrorKind::forbidden);
    expect_error(service.create_token(caller, {"mine", Role::admin, {}}), ErrorKind::forbidden);
    expect_error(service.list_tokens(caller), ErrorKind::forbidden);
    expect_error(service.revoke_token(caller, "root"), ErrorKind::forbidden);
  }
  CHECK(fixture.audit({"hr", ""}, "forbidden").size() == 2);
  CHECK(fixture.audit({"", ""}, "forbidden").size() == 4);  // token create and revoke, twice
  CHECK(fixture.audit({"", ""}, "token-create").size() == 5);
  CHECK(fixture.audit({"", ""}, "token-revoke").size() == 1);
  CHECK(fixture.audit({"marketing", ""}, "domain-create").size() == 1);
  CHECK_FALSE(expect_ok(service.authenticate(fixture.admin_.secret)).revoked_at);
}

TEST_CASE("Only admins publish the platform's standards; every principal reads them", "[registry][access]") {
  Fixture fixture;
  auto& service = fixture.service_;
  const std::string lax = "apiVersion: meshctl/v1\nkind: Standards\nextends: none\n";
  for (const auto* token : {&fixture.sales_owner_, &fixture.reader_}) {
    expect_error(service.publish_standards(fixture.as(*token), lax), ErrorKind::forbidden);
  }
  CHECK_FALSE(expect_ok(service.standards()).has_value());
  CHECK(fixture.audit({"", ""}, "forbidden").size() == 2);
  const auto published = expect_ok(service.publish_standards(fixture.as(fixture.admin_), lax));
  CHECK(published.record.version == 1);
  CHECK(published.record.published_by == "root");
  const auto events = fixture.audit({"", ""}, "standards-publish");
  REQUIRE(events.size() == 1);
  CHECK(events[0].actor == "root");
  CHECK(events[0].summary.find("version 1") != std::string::npos);
}

TEST_CASE("A subscription is its team's: others may not remove it", "[registry][access]") {
  Fixture fixture;
  auto& service = fixture.service_;
  const ProductRef orders{"sales", "orders"};
  const auto payments = fixture.as(fixture.payments_owner_);
  const auto made = expect_ok(service.subscribe(payments, {orders, "pay-dash", "payments-bi", "", "", ""}));
  CHECK(made.subscription.owner_domains == std::vector<std::string>{"payments"});
  CHECK(expect_ok(service.list_subscriptions(orders)).front().owner_domains == std::vector<std::string>{"payments"});

  expect_ok(service.create_domain(fixture.as(fixture.admin_), {"marketing", "growth"}));
  const auto marketing = fixture.as(fixture.token("ci-marketing", Role::owner, {"marketing"}));
  const auto refused =
      expect_error(service.unsubscribe(marketing, {orders, "pay-dash", std::nullopt}), ErrorKind::forbidden);
  CHECK(refused.message.find("payments") != std::string::npos);
  CHECK(fixture.audit(orders, "forbidden").size() == 1);
  CHECK(expect_ok(service.list_subscriptions(orders)).size() == 1);

  // The team that made it, the product's owners and admins may.
  for (const auto* who : {&fixture.payments_owner_, &fixture.sales_owner_, &fixture.admin_}) {
    expect_ok(service.subscribe(payments, {orders, "pay-dash", "payments-bi", "", "", ""}));
    CHECK(expect_ok(service.unsubscribe(fixture.as(*who), {orders, "pay-dash", std::nullopt})).size() == 1);
  }
}

TEST_CASE("Only a product's team reports its freshness; every event keeps who sent it", "[registry][access]") {
  Fixture fixture;
  auto& service = fixture.service_;
  const ProductRef orders{"sales", "orders"};
  const std::string usage =
      R"({"id":"u1","time":"2026-11-22T10:00:00Z","product":"sales/orders","port":"orders-table","consumer":"dash"})"
      "\n";
  const std::string freshness =
      R"({"type":"freshness","time":"2026-11-22T10:00:00Z","product":"sales/orders","port":"orders-table",)"
      R"("updatedAt":"2026-11-22T09:00:00Z"})"
      "\n";
  for (const auto* who : {&fixture.reader_, &fixture.payments_owner_}) {
    const auto refused = expect_error(service.report_usage(fixture.as(*who), usage + freshness), ErrorKind::forbidden);
    CHECK(refused.message.find("line 2") != std::string::npos);
  }
  CHECK(fixture.audit(orders, "forbidden").size() == 2);
  CHECK(testing::query_raw_text(fixture.folder_.path() / "r.db", "SELECT id FROM usage_event_ids").empty());
  // Usage from a reader is welcome, and remembered with its sender.
  CHECK(expect_ok(service.report_usage(fixture.as(fixture.reader_), usage)).accepted == 1);
  CHECK(testing::query_raw_text(fixture.folder_.path() / "r.db", "SELECT reported_by FROM usage_event_ids") ==
        std::vector<std::string>{"dashboards"});
  CHECK(expect_ok(service.report_usage(fixture.as(fixture.sales_owner_), freshness)).freshness == 1);
  const auto summary = expect_ok(service.usage(orders, {7}));
  REQUIRE(summary.freshness.size() == 1);
  CHECK(summary.freshness[0].reported_by == std::optional<std::string>("ci-sales"));
}

TEST_CASE("Token and domain requests are checked", "[registry][access]") {
  Fixture fixture;
  auto& service = fixture.service_;
  const auto& local = fixture.operator_;
  expect_error(service.create_token(local, {"ci-sales", Role::reader, {}}), ErrorKind::conflict);
  expect_error(service.create_token(local, {"x", Role::owner, {}}), ErrorKind::invalid);
  expect_error(service.create_token(local, {"x", Role::reader, {"sales"}}), ErrorKind::invalid);
  expect_error(service.create_token(local, {"x", Role::admin, {"sales"}}), ErrorKind::invalid);
  expect_error(service.create_token(local, {"x", Role::owner, {"sales", "nowhere"}}), ErrorKind::not_found);
  expect_error(service.create_token(local, {"has space", Role::reader, {}}), ErrorKind::invalid);
  expect_error(service.create_domain(local, {"sales", "other"}), ErrorKind::conflict);
  expect_error(service.create_domain(local, {"Bad_Name", "team"}), ErrorKind::invalid);
  expect_error(service.create_domain(local, {"hr", ""}), ErrorKind::invalid);
  expect_error(service.revoke_token(local, "nobody"), ErrorKind::not_found);

  const auto both = expect_ok(service.create_token(local, {"both", Role::owner, {"sales", "payments", "sales"}}));
  CHECK(both.principal.domains == std::vector<std::string>{"payments", "sales"});
  const auto listed = expect_ok(service.list_tokens(local));
  std::vector<std::string> names;
  for (const auto& principal : listed) names.push_back(principal.name);
  CHECK(names == std::vector<std::string>{"both", "ci-payments", "ci-sales", "dashboards", "root"});

  // Revoking twice changes nothing the second time.
  const auto first = expect_ok(service.revoke_token(local, "both"));
  REQUIRE(first.revoked_at);
  const auto second = expect_ok(service.revoke_token(local, "both"));
  CHECK(second.revoked_at == first.revoked_at);
  CHECK(fixture.audit({"", ""}, "token-revoke").size() == 1);
  // A revoked name is not reused.
  expect_error(service.create_token(local, {"both", Role::reader, {}}), ErrorKind::conflict);
}

TEST_CASE("the last admin token cannot be revoked", "[registry][access]") {
  Fixture fixture;
  auto& service = fixture.service_;
  const auto refused = service.revoke_token(fixture.operator_, "root");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::conflict);
  CHECK(refused.error().message.find("root is the last admin token") == 0);
  CHECK_FALSE(expect_ok(service.authenticate(fixture.admin_.secret)).revoked_at);
  // With a second admin, either may go, but not both.
  fixture.token("root-2", Role::admin, {});
  expect_ok(service.revoke_token(fixture.as(fixture.admin_), "root"));
  expect_error(service.revoke_token(fixture.operator_, "root-2"), ErrorKind::conflict);
}

TEST_CASE("bootstrap_admin creates the first admin once", "[registry][access]") {
  TemporaryFolder folder;
  auto first_store = expect_ok(SqliteStore::open(folder.path() / "r.db"));
  auto second_store = expect_ok(SqliteStore::open(folder.path() / "r.db"));
  RegistryService first(*first_store, test_clock());
  RegistryService second(*second_store, test_clock());
  const auto created = expect_ok(first.bootstrap_admin("admin"));
  REQUIRE(created);
  CHECK(created->principal.role == Role::admin);
  CHECK(expect_ok(second.authenticate(created->secret)).name == "admin");
  CHECK_FALSE(expect_ok(second.bootstrap_admin("admin")));
  CHECK_FALSE(expect_ok(first.bootstrap_admin("other")));
  CHECK(expect_ok(first.list_tokens({"op", std::nullopt})).size() == 1);
}

}  // namespace
TEST_CASE("A catalog session lasts until sign-out, its expiry, or its token's revocation or rotation",
          "[registry][access][web]") {
  Fixture fixture;
  ManualClock clock(std::chrono::system_clock::now());
  RegistryService service(*fixture.store_, clock);

  expect_error(service.sign_in("mesh_not_a_token"), ErrorKind::unauthenticated);
  const auto session = expect_ok(service.sign_in(fixture.reader_.secret));
  CHECK(session.principal.name == "dashboards");
  CHECK(session.max_age_seconds == kSessionLifetimeSeconds);
  CHECK(session.secret.size() == 64);
  CHECK(expect_ok(service.authenticate_session(session.secret)).name == "dashboards");
  expect_error(service.authenticate_session(std::string(64, 'a')), ErrorKind::unauthenticated);
  expect_error(service.authenticate_session("short"), ErrorKind::unauthenticated);
  {
    // Only the secret's hash is stored.
    auto transaction = expect_ok(fixture.store_->begin(TransactionMode::read));
    CHECK(expect_ok(transaction->find_session(session.secret)) == std::nullopt);
    CHECK(expect_ok(transaction->find_session(token::hash_secret(session.secret))).has_value());
  }

  SECTION("sign-out ends it") {
    REQUIRE(service.sign_out(session.secret).ok());
    expect_error(service.authenticate_session(session.secret), ErrorKind::unauthenticated);
    CHECK(service.sign_out(session.secret).ok());
  }
  SECTION("it expires") {
    clock.set(clock.now() + std::chrono::seconds(kSessionLifetimeSeconds));
    expect_error(service.authenticate_session(session.secret), ErrorKind::unauthenticated);
  }
  SECTION("revoking the token ends it") {
    expect_ok(service.revoke_token(fixture.operator_, "dashboards"));
    expect_error(service.authenticate_session(session.secret), ErrorKind::unauthenticated);
  }
  SECTION("rotating the token ends it") {
    expect_ok(service.rotate_token(fixture.operator_, {"dashboards"}));
    expect_error(service.authenticate_session(session.secret), ErrorKind::unauthenticated);
  }
  SECTION("a session never outlives its token") {
    const auto short_lived = expect_ok(service.create_token(fixture.operator_, {"brief", Role::reader, {}, 60}));
    const auto brief = expect_ok(service.sign_in(short_lived.secret));
    CHECK(brief.max_age_seconds <= 60);
  }
}

}  // namespace meshctl::registry
