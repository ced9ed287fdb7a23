#pragma once

// The contract every Registry implementation keeps: the embedded registry
// (LocalRegistry over SQLite, tests/unit/registry/local_registry_test.cpp), the
// same over PostgreSQL (tests/unit/store/postgres_store_test.cpp), and the
// remote registry against a server (tests/unit/server/server_contract_test.cpp).
// It talks to the Registry interface only, so an implementation runs it
// unchanged: give it a factory of fresh, empty registries, a way to act as the
// holder of a token on the last one made, and the clock they all read.
//
//   TEST_CASE("MyRegistry keeps the registry contract", "[registry][contract]") {
//     ContractClock clock;
//     meshctl::registry::testing::check_registry_contract({make_my_registry, "the-actor", as_holder_of, &clock});
//   }

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "meshctl/core/clock.h"
#include "meshctl/manifest/glossary.h"
#include "meshctl/manifest/model.h"
#include "meshctl/registry/local_registry.h"
#include "meshctl/store/store.h"

namespace meshctl::registry::testing {

// The clock of the registries under test, and of their servers: a time the
// suite moves forward (to expire tokens) that also steps by `step` at every
// reading, so successive events get distinct times. Thread-safe: a server
// reads it on its own threads.
class ContractClock final : public Clock {
 public:
  explicit ContractClock(std::chrono::system_clock::time_point start = std::chrono::sys_days{std::chrono::year{2026} /
                                                                                             11 / 23},
                         std::chrono::seconds step = std::chrono::seconds{1})
      : seconds_(std::chrono::duration_cast<std::chrono::seconds>(start.time_since_epoch()).count()),
        step_(step.count()) {}
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(seconds_.fetch_add(step_)));
  }
  void advance(std::chrono::seconds by) { seconds_ += by.count(); }
  void set(std::chrono::system_clock::time_point to) {
    seconds_ = std::chrono::duration_cast<std::chrono::seconds>(to.time_since_epoch()).count();
  }

 private:
  mutable std::atomic<std::int64_t> seconds_;
  std::int64_t step_;
};

struct RegistryContract {
  // A new, empty registry on every call (the suite calls it once per section).
  std::function<std::unique_ptr<Registry>()> make_empty_registry;
  // The actor the registry records for this test's writes.
  std::string expected_actor;
  // The registry make_empty_registry() made last, as the holder of `token`
  // sees it: every call authenticated (as a server authenticates each
  // request), then decided for that principal. What the access rules
  // (expiry, rotation, who reads which audit events) are checked through.
  std::function<std::unique_ptr<Registry>(const std::string& token)> as_holder_of;
  // The clock every registry made (and its server) reads: the suite moves it
  // (tokens expire, sunset dates come). Each section starts at 2026-11-23T00:00:00Z.
  ContractClock* clock = nullptr;
};

// Runs every contract check, each in its own Catch2 SECTION.
void check_registry_contract(const RegistryContract& contract);

// Helpers of the contract's checks.
// Whether `text` (an error message, an audit summary) contains `part`.
inline bool says(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A filter of a domain, a status and labels (the other filters not given).
inline ProductFilter product_filter(std::optional<std::string> domain, std::optional<LifecycleStatus> status,
                                    std::vector<std::pair<std::string, std::string>> labels = {}) {
  ProductFilter filter;
  filter.domain = std::move(domain);
  filter.status = status;
  filter.labels = std::move(labels);
  return filter;
}

inline ProductRef ref(const std::string& text) {
  return parse_product_ref(text).value();
}

// The value of `result`; fails the test with the error's message when it is not ok.
template <typename T>
T expect_ok(Result<T> result) {
  if (!result.ok()) FAIL("unexpected error (" << to_string(result.error().kind) << "): " << result.error().message);
  return std::move(result).value();
}

// The error of `result`, which must be of `kind` and say something.
template <typename T>
Error expect_error(const Result<T>& result, ErrorKind kind) {
  REQUIRE_FALSE(result.ok());
  INFO("message: " << result.error().message);
  CHECK(to_string(result.error().kind) == std::string(to_string(kind)));
  CHECK_FALSE(result.error().message.empty());
  return result.error();
}

// Its parts beyond publishing and the lifecycle (registry_contract_usage.cpp), each on a fresh registry.
void check_domains(Registry& registry);
void check_tokens(Registry& registry);
void check_subscriptions(Registry& registry);
void check_usage(Registry& registry);
void check_lineage(Registry& registry);
// The platform's standards kept by the registry (registry_contract_standards.cpp).
void check_standards(Registry& registry);
// Token lifetimes, rotation and the registry-wide audit (registry_contract_access.cpp).
void check_token_lifetimes(Registry& registry, const RegistryContract& contract);
void check_token_rotation(Registry& registry, const RegistryContract& contract);
void check_audit(Registry& registry, const RegistryContract& contract);
void check_audit_visibility(Registry& registry, const RegistryContract& contract);
// The rules of issue 15 (registry_contract_lifecycle.cpp): input ports must
// resolve, retirement follows a deprecation whose sunset has come.
void check_input_ports(Registry& registry);
void check_retirement_lifecycle(Registry& registry, ContractClock& clock);
// Quality runs of `meshctl test --publish` (registry_contract_quality.cpp, issue 16).
void check_quality(Registry& registry, const RegistryContract& contract);
// Full-text search and the product filters (registry_contract_search.cpp, issue 18).
void check_search(Registry& registry);
// The ODCS and ODPS documents a version was applied as (registry_contract_originals.cpp, issue 17).
void check_original_documents(Registry& registry);
// Products whose schemas overlap, and MESH-DUPLICATE (registry_contract_similar.cpp, issue 18).
void check_similar(Registry& registry, const RegistryContract& contract);
// The business glossary (registry_contract_glossary.cpp, issue 18).
void check_glossary(Registry& registry, const RegistryContract& contract);
// The products that need attention, read at once (registry_contract_attention.cpp, issue 19).
void check_attention(Registry& registry, ContractClock& clock);
// A glossary of domain/name@version with the terms customer-email (synonym buyer-email, related
// customer-id, a businessDefinition link) and customer-id, both active.
manifest::Glossary make_glossary(const std::string& domain, const std::string& name, const std::string& version);

// A small valid manifest for domain/name@version. `inputs` are "domain/name"
// products read through input ports (constraint "^1"); `description` varies the
// content for the same version.
manifest::DataProduct make_manifest(const std::string& domain, const std::string& name, const std::string& version,
                                    const std::vector<std::string>& inputs = {},
                                    const std::string& description = "Rows of the product, refreshed hourly.");

// A store's history of port data changes (record_freshness, freshness_history): each change kept once,
// the changes before the history's start dropped but the newest, reads from a time with each port's
// newest change before it.
void check_freshness_history(Store& store);

// Commits a new domain `name` (owner team NAME-data) through `store`.
void insert_domain(Store& store, const std::string& name);

// Store::changed_since_last_call of `watcher`, where `other` is a second
// connection to the same store and `raw_write` commits a change without
// meshctl (as another program would): true at the first call; false again
// while nothing is committed, reads included; true after a commit by `other`,
// by `watcher` itself, or by `raw_write`; refused inside a transaction.
void check_change_detection(Store& watcher, Store& other, const std::function<void()>& raw_write);

// A clock stopped at 2026-11-23T00:00:00Z.
const ManualClock& test_clock();

}  // namespace meshctl::registry::testing
