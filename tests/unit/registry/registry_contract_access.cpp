// The registry contract, third part: token lifetimes, rotation, and the
// registry-wide audit with who may read which events (see registry_contract.h).
// Each check_* runs on a fresh registry of the implementation under test; the
// registry itself is the local user or an admin (it may do everything), and
// contract.as_holder_of(token) acts as a token's principal.

#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "meshctl/usage/time.h"
#include "registry/registry_contract.h"

namespace meshctl::registry::testing {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

void publish_at(Registry& registry, const std::string& domain, const std::string& name,
                const std::string& version = "1.0.0") {
  expect_ok(registry.publish(make_manifest(domain, name, version), PublishMode::apply));
}

std::int64_t epoch_of(const std::string& time) {
  const auto epoch = usage::parse_timestamp(time);
  if (!epoch) FAIL("not a time: " << time);
  return *epoch;
}

std::int64_t epoch_now(const RegistryContract& contract) {
  return std::chrono::duration_cast<seconds>(contract.clock->now().time_since_epoch()).count();
}

PrincipalRecord listed(Registry& registry, const std::string& name) {
  for (auto& principal : expect_ok(registry.list_tokens())) {
    if (principal.name == name) return principal;
  }
  FAIL("no token " << name << " in the list");
  return {};
}

// A well-formed token that no principal holds.
const std::string kUnknownToken = "mesh_0123456789abcdef_" + std::string(64, 'a');

AuditQuery query_of(std::optional<std::string> domain, std::optional<std::string> actor = std::nullopt,
                    std::optional<std::string> action = std::nullopt, std::optional<std::string> since = std::nullopt) {
  AuditQuery query;
  query.domain = std::move(domain);
  query.actor = std::move(actor);
  query.action = std::move(action);
  query.since = std::move(since);
  query.limit = kMaxAuditLimit;
  return query;
}

AuditQuery action_query(const std::string& action) {
  return query_of(std::nullopt, std::nullopt, action);
}

std::vector<AuditEvent> events_of(Registry& registry, const AuditQuery& query) {
  auto page = expect_ok(registry.audit(query));
  CHECK_FALSE(page.next_before);  // every check here reads fewer than a page
  return page.events;
}

std::vector<std::string> actions_of(const std::vector<AuditEvent>& events) {
  std::vector<std::string> actions;
  for (const auto& event : events) actions.push_back(event.action);
  return actions;
}

bool newest_first(const std::vector<AuditEvent>& events) {
  return std::adjacent_find(events.begin(), events.end(),
                            [](const AuditEvent& a, const AuditEvent& b) { return a.id <= b.id; }) == events.end();
}

}  // namespace

void check_token_lifetimes(Registry& registry, const RegistryContract& contract) {
  publish_at(registry, "sales", "orders");
  const auto before = epoch_now(contract);
  const auto expiring = expect_ok(registry.create_token({"dashboards", Role::reader, {}, 3600}));
  REQUIRE(expiring.principal.expires_at);
  const auto expires = epoch_of(*expiring.principal.expires_at);
  CHECK(expires >= before + 3600);
  CHECK(expires <= before + 3600 + 60);  // the clock steps a second per reading
  const auto forever = expect_ok(registry.create_token({"forever", Role::reader, {}}));
  CHECK_FALSE(forever.principal.expires_at);

  CHECK(listed(registry, "dashboards").expires_at == expiring.principal.expires_at);
  CHECK_FALSE(listed(registry, "forever").expires_at);

  const auto dashboards = contract.as_holder_of(expiring.secret);
  expect_ok(dashboards->get_product(ref("sales/orders")));

  contract.clock->advance(hours{2});
  // Refused on every request from now on, also by a server that kept the principal from the last one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto refused = expect_error(dashboards->get_product(ref("sales/orders")), ErrorKind::unauthenticated);
    CHECK(says(refused.message, "expired"));
    CHECK(says(refused.message, *expiring.principal.expires_at));
    CHECK(says(refused.message, "dashboards"));
  }
  // Unknown and revoked tokens keep their one message, which names nobody and says nothing of expiry.
  const auto unknown =
      expect_error(contract.as_holder_of(kUnknownToken)->get_product(ref("sales/orders")), ErrorKind::unauthenticated);
  CHECK_FALSE(says(unknown.message, "expired"));
  const auto doomed = expect_ok(registry.create_token({"doomed", Role::reader, {}, 60}));
  expect_ok(registry.revoke_token("doomed"));
  contract.clock->advance(hours{1});
  const auto revoked =
      expect_error(contract.as_holder_of(doomed.secret)->get_product(ref("sales/orders")), ErrorKind::unauthenticated);
  CHECK(revoked.message == unknown.message);

  expect_ok(contract.as_holder_of(forever.secret)->get_product(ref("sales/orders")));

  for (const std::int64_t lifetime : {std::int64_t{0}, std::int64_t{-60}, kMaxTokenLifetimeSeconds + 1}) {
    INFO("lifetime " << lifetime);
    expect_error(registry.create_token({"odd-lifetime", Role::reader, {}, lifetime}), ErrorKind::invalid);
  }
  const auto longest = expect_ok(registry.create_token({"longest", Role::reader, {}, kMaxTokenLifetimeSeconds}));
  CHECK(epoch_of(*longest.principal.expires_at) >= epoch_now(contract) + kMaxTokenLifetimeSeconds - 60);
  const auto names = expect_ok(registry.list_tokens());
  CHECK(std::none_of(names.begin(), names.end(), [](const auto& p) { return p.name == "odd-lifetime"; }));
}

void check_token_rotation(Registry& registry, const RegistryContract& contract) {
  publish_at(registry, "sales", "orders");
  const auto created = expect_ok(registry.create_token({"ci", Role::owner, {"sales"}, 86400}));
  const auto old_holder = contract.as_holder_of(created.secret);
  expect_ok(old_holder->get_product(ref("sales/orders")));
  contract.clock->advance(hours{1});

  // Without a lifetime the expiry stays; everything but the token id and secret stays.
  const auto rotated = expect_ok(registry.rotate_token({"ci"}));
  CHECK(rotated.secret != created.secret);
  CHECK(rotated.principal.token_id != created.principal.token_id);
  CHECK(rotated.secret.rfind("mesh_" + rotated.principal.token_id + "_", 0) == 0);
  CHECK(rotated.principal.name == "ci");
  CHECK(rotated.principal.role == Role::owner);
  CHECK(rotated.principal.domains == std::vector<std::string>{"sales"});
  CHECK(rotated.principal.created_at == created.principal.created_at);
  CHECK(rotated.principal.expires_at == created.principal.expires_at);
  CHECK(listed(registry, "ci").token_id == rotated.principal.token_id);

  // The old secret stops working at once: as an unknown token, not as an expired one.
  const auto old_refused = expect_error(old_holder->get_product(ref("sales/orders")), ErrorKind::unauthenticated);
  CHECK_FALSE(says(old_refused.message, "expired"));
  const auto new_holder = contract.as_holder_of(rotated.secret);
  expect_ok(new_holder->publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::apply));

  // Past its expiry, rotating needs a new lifetime; with one, the token lives again.
  contract.clock->advance(hours{24});
  expect_error(new_holder->get_product(ref("sales/orders")), ErrorKind::unauthenticated);
  const auto needs_lifetime = expect_error(registry.rotate_token({"ci"}), ErrorKind::invalid);
  CHECK(says(needs_lifetime.message, "--expires-in"));
  CHECK(listed(registry, "ci").token_id == rotated.principal.token_id);  // refused: nothing changed
  const auto renewed = expect_ok(registry.rotate_token({"ci", 7 * 86400}));
  REQUIRE(renewed.principal.expires_at);
  CHECK(epoch_of(*renewed.principal.expires_at) >= epoch_now(contract) + 7 * 86400 - 60);
  expect_ok(contract.as_holder_of(renewed.secret)->get_product(ref("sales/orders")));

  // A token that never expired still never does; a lifetime can be given at rotation.
  expect_ok(registry.create_token({"viewer", Role::reader, {}}));
  CHECK_FALSE(expect_ok(registry.rotate_token({"viewer"})).principal.expires_at);
  CHECK(expect_ok(registry.rotate_token({"viewer", 3600})).principal.expires_at);

  expect_error(registry.rotate_token({"nobody"}), ErrorKind::not_found);
  expect_error(registry.rotate_token({"viewer", 0}), ErrorKind::invalid);
  expect_ok(registry.revoke_token("viewer"));
  expect_error(registry.rotate_token({"viewer"}), ErrorKind::conflict);
  CHECK(listed(registry, "viewer").revoked_at);

  // Only an admin (or the local user) rotates; an owner's attempt is refused and recorded.
  const auto owner = contract.as_holder_of(renewed.secret);
  expect_error(owner->rotate_token({"ci"}), ErrorKind::forbidden);
  expect_ok(owner->get_product(ref("sales/orders")));  // the refused rotation left the token as it was

  const auto rotations = events_of(registry, action_query("token-rotate"));
  REQUIRE(rotations.size() == 4);
  for (const auto& event : rotations) {
    CHECK(event.actor == contract.expected_actor);
    CHECK(event.ref == ProductRef{});
    for (const auto* secret : {&created.secret, &rotated.secret, &renewed.secret}) {
      CHECK_FALSE(says(event.summary, secret->substr(22)));
    }
  }
  CHECK(says(rotations[2].summary, renewed.principal.token_id));
  const auto refusals = events_of(registry, query_of(std::nullopt, "ci", "forbidden"));
  REQUIRE(refusals.size() == 1);
  CHECK(says(refusals[0].summary, "rotate"));
}

void check_audit(Registry& registry, const RegistryContract& contract) {
  // A server's log starts with its first admin and the domains the suite writes to.
  const auto preexisting = events_of(registry, query_of(std::nullopt)).size();
  publish_at(registry, "sales", "orders");
  publish_at(registry, "sales", "orders", "1.1.0");
  publish_at(registry, "finance", "revenue");
  expect_ok(registry.deprecate({ref("sales/orders"), std::nullopt, "2027-06-30", "replaced", std::nullopt}));
  expect_ok(registry.create_token({"sales-ci", Role::owner, {"sales"}}));
  expect_ok(registry.create_token({"viewer", Role::reader, {}}));

  // Every event, newest first: products, and tokens (about no domain).
  const auto all = events_of(registry, query_of(std::nullopt));
  CHECK(newest_first(all));
  REQUIRE(all.size() == preexisting + 6);
  const std::vector<AuditEvent> mine(all.begin(), all.begin() + 6);
  CHECK(actions_of(mine) ==
        std::vector<std::string>{"token-create", "token-create", "deprecate", "create", "evolve", "create"});
  CHECK(all[0].ref == ProductRef{});
  CHECK(all[2].ref == ref("sales/orders"));
  CHECK(all[2].actor == contract.expected_actor);

  // Each filter alone, and together.
  const auto sales = events_of(registry, query_of("sales"));
  CHECK(std::all_of(sales.begin(), sales.end(), [](const auto& e) { return e.ref.domain == "sales"; }));
  CHECK(std::count(sales.begin(), sales.end(), all[2]) == 1);
  CHECK(events_of(registry, query_of("finance", std::nullopt, "create")).size() == 1);
  CHECK(events_of(registry, query_of("nowhere")).empty());
  CHECK(actions_of(events_of(registry, action_query("create"))) == std::vector<std::string>{"create", "create"});
  const auto tokens = events_of(registry, action_query("token-*"));
  CHECK(std::vector<AuditEvent>(tokens.begin(), tokens.begin() + 2) ==
        std::vector<AuditEvent>(mine.begin(), mine.begin() + 2));
  CHECK(std::all_of(tokens.begin(), tokens.end(), [](const auto& e) { return e.action == "token-create"; }));
  CHECK(events_of(registry, action_query("*")) == all);
  CHECK(events_of(registry, action_query("token")).empty());  // exact unless it ends in '*'
  const auto by_actor = events_of(registry, query_of(std::nullopt, contract.expected_actor));
  REQUIRE(by_actor.size() >= 6);
  CHECK(std::vector<AuditEvent>(by_actor.begin(), by_actor.begin() + 6) == mine);
  CHECK(
      std::all_of(by_actor.begin(), by_actor.end(), [&](const auto& e) { return e.actor == contract.expected_actor; }));
  CHECK(events_of(registry, query_of(std::nullopt, "someone-else")).empty());

  // Since: a period back from the registry's now, or a time.
  contract.clock->advance(hours{48});
  publish_at(registry, "marketing", "campaigns");
  const auto recent = events_of(registry, query_of(std::nullopt, std::nullopt, std::nullopt, "1d"));
  REQUIRE(recent.size() == 1);
  CHECK(recent[0].ref == ref("marketing/campaigns"));
  CHECK(events_of(registry, query_of(std::nullopt, std::nullopt, std::nullopt, "3d")).size() == all.size() + 1);
  CHECK(events_of(registry, query_of(std::nullopt, std::nullopt, std::nullopt, "1w")).size() == all.size() + 1);
  CHECK(events_of(registry, query_of(std::nullopt, std::nullopt, std::nullopt, recent[0].time)) == recent);
  const auto later = usage::format_timestamp(epoch_of(recent[0].time) + 1);
  CHECK(events_of(registry, query_of(std::nullopt, std::nullopt, std::nullopt, later)).empty());
  // The same instant in another zone.
  const auto zoned = usage::format_timestamp(epoch_of(recent[0].time) + 3600).substr(0, 19) + "+01:00";
  CHECK(events_of(registry, query_of(std::nullopt, std::nullopt, std::nullopt, zoned)) == recent);
  for (const auto* since : {"yesterday", "0d", "-1d", "7", "2026-13-01T00:00:00Z"}) {
    INFO("since " << since);
    expect_error(registry.audit(query_of(std::nullopt, std::nullopt, std::nullopt, since)), ErrorKind::invalid);
  }

  // Pages: --limit at a time, each page's next_before leads to the next, the last has none.
  const auto everything = events_of(registry, query_of(std::nullopt));
  std::vector<AuditEvent> walked;
  AuditQuery page_query;
  page_query.limit = 2;
  for (int pages = 0; pages < 50; ++pages) {
    const auto page = expect_ok(registry.audit(page_query));
    CHECK(page.events.size() <= 2);
    walked.insert(walked.end(), page.events.begin(), page.events.end());
    if (!page.next_before) break;
    CHECK(*page.next_before == page.events.back().id);
    page_query.before_id = *page.next_before;
  }
  CHECK(walked == everything);
  page_query = {};
  page_query.limit = everything.size();
  CHECK_FALSE(expect_ok(registry.audit(page_query)).next_before);  // exactly one full page
  page_query.limit = 1;
  page_query.before_id = everything.back().id;
  CHECK(expect_ok(registry.audit(page_query)).events.empty());

  for (const std::size_t limit : {std::size_t{0}, kMaxAuditLimit + 1}) {
    page_query = {};
    page_query.limit = limit;
    expect_error(registry.audit(page_query), ErrorKind::invalid);
  }
  page_query = {};
  page_query.before_id = -1;
  expect_error(registry.audit(page_query), ErrorKind::invalid);
}

void check_audit_visibility(Registry& registry, const RegistryContract& contract) {
  publish_at(registry, "sales", "orders");
  publish_at(registry, "finance", "revenue");
  const auto owner =
      contract.as_holder_of(expect_ok(registry.create_token({"sales-ci", Role::owner, {"sales"}})).secret);
  const auto stranger =
      contract.as_holder_of(expect_ok(registry.create_token({"finance-ci", Role::owner, {"finance"}})).secret);
  const auto reader = contract.as_holder_of(expect_ok(registry.create_token({"viewer", Role::reader, {}})).secret);

  // Another domain's owner writing in sales: refused, a forbidden event of the domain sales.
  expect_error(stranger->publish(make_manifest("sales", "orders", "2.0.0"), PublishMode::apply), ErrorKind::forbidden);

  // A reader may not read the audit; the refusal is recorded.
  const auto refused = expect_error(reader->audit(query_of(std::nullopt)), ErrorKind::forbidden);
  CHECK(says(refused.message, "audit"));
  expect_error(reader->audit(query_of("sales")), ErrorKind::forbidden);

  // An owner reads the events of its domains: products, and refusals there; no tokens, no other domain.
  const auto seen = events_of(*owner, query_of(std::nullopt));
  REQUIRE_FALSE(seen.empty());
  CHECK(newest_first(seen));
  CHECK(std::all_of(seen.begin(), seen.end(), [](const auto& e) { return e.ref.domain == "sales"; }));
  const auto seen_actions = actions_of(seen);
  CHECK(std::count(seen_actions.begin(), seen_actions.end(), "create") == 1);
  CHECK(std::count(seen_actions.begin(), seen_actions.end(), "forbidden") == 1);
  CHECK(events_of(*owner, query_of("sales")) == seen);
  CHECK(events_of(*owner, query_of(std::nullopt, "finance-ci")).size() == 1);

  // Another domain's audit is refused, and the refusal is recorded in that domain.
  const auto other = expect_error(owner->audit(query_of("finance")), ErrorKind::forbidden);
  CHECK(says(other.message, "finance"));
  CHECK(events_of(*owner, query_of(std::nullopt)) == seen);  // its own refusal is finance's event

  // The registry itself (local user, or admin) reads everything, refusals included.
  const auto refusals = events_of(registry, action_query("forbidden"));
  std::set<std::pair<std::string, std::string>> who_where;
  for (const auto& event : refusals) who_where.emplace(event.actor, event.ref.domain);
  CHECK(who_where == std::set<std::pair<std::string, std::string>>{
                         {"finance-ci", "sales"}, {"viewer", ""}, {"sales-ci", "finance"}});
  CHECK(refusals.size() == 4);  // the stranger's publish, the reader's two reads, the owner's read of finance
  const auto finance = events_of(registry, query_of("finance"));
  CHECK(std::count_if(finance.begin(), finance.end(), [](const auto& e) { return e.action == "forbidden"; }) == 1);
}

}  // namespace meshctl::registry::testing
