// The SQLite store's transaction: every read and write of the registry as SQL.

#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "meshctl/store/columns.h"
#include "store/sqlite/sqlite_attention.h"
#include "store/sqlite/sqlite_audit.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_glossary.h"
#include "store/sqlite/sqlite_quality.h"
#include "store/sqlite/sqlite_search.h"
#include "store/sqlite/sqlite_similarity.h"
#include "store/sqlite/sqlite_usage.h"

namespace meshctl::registry {
namespace {

constexpr const char* kProductColumns =
    "p.domain, p.name, p.status, p.revision, p.latest_version, p.owner_team, p.owner_email, p.sunset, "
    "p.deprecation_reason, p.created_at, p.updated_at, "
    "(SELECT json_group_object(l.key, l.value) FROM product_labels l WHERE l.product_id = p.id)";

constexpr const char* kVersionColumns =
    "p.domain, p.name, v.version, v.status, v.manifest, v.content_hash, v.published_at, v.published_by, v.sunset, "
    "v.deprecation_reason";

constexpr const char* kProductId = "(SELECT id FROM products WHERE domain = ? AND name = ?)";

// A principal's domains come as a JSON array, sorted.
constexpr const char* kPrincipalColumns =
    "p.name, p.role, p.token_id, p.created_at, p.created_by, p.revoked_at, "
    "(SELECT json_group_array(domain) FROM (SELECT domain FROM principal_domains "
    "WHERE principal = p.name ORDER BY domain)), p.expires_at";
constexpr int kSecretHashColumn = 8;  // after kPrincipalColumns, in principal_where

PrincipalRecord read_principal(const Statement& row) {
  PrincipalRecord principal;
  principal.name = row.text(0);
  // The schema's CHECK admits only the three roles; reader is the least privilege anyway.
  principal.role = parse_role(row.text(1)).value_or(Role::reader);
  principal.token_id = row.text(2);
  principal.created_at = row.text(3);
  principal.created_by = row.text(4);
  principal.revoked_at = row.optional_text(5);
  const auto domains = nlohmann::json::parse(row.text(6), nullptr, false);
  if (domains.is_array()) {
    for (const auto& domain : domains) {
      if (domain.is_string()) principal.domains.push_back(domain.get<std::string>());
    }
  }
  principal.expires_at = row.optional_text(7);
  return principal;
}

LifecycleStatus status_column(const Statement& row, int column) {
  return parse_lifecycle_status(row.text(column)).value_or(LifecycleStatus::active);
}

std::optional<Deprecation> deprecation_columns(const Statement& row, int sunset_column) {
  auto sunset = row.optional_text(sunset_column);
  if (!sunset) return std::nullopt;
  return Deprecation{*sunset, row.text(sunset_column + 1)};
}

ProductRecord read_product(const Statement& row) {
  ProductRecord product;
  product.ref = {row.text(0), row.text(1)};
  product.status = status_column(row, 2);
  product.revision = row.integer(3);
  product.latest_version = row.text(4);
  product.owner = {row.text(5), row.text(6)};
  product.deprecation = deprecation_columns(row, 7);
  product.created_at = row.text(9);
  product.updated_at = row.text(10);
  if (auto labels = row.optional_text(11)) {
    const auto document = nlohmann::json::parse(*labels, nullptr, false);
    if (document.is_object()) {
      for (const auto& [key, value] : document.items()) {
        if (value.is_string()) product.labels[key] = value.get<std::string>();
      }
    }
  }
  return product;
}

VersionRecord read_version(const Statement& row) {
  VersionRecord version;
  version.ref = {row.text(0), row.text(1)};
  version.version = row.text(2);
  version.status = status_column(row, 3);
  version.manifest_json = row.text(4);
  version.content_hash = row.text(5);
  version.published_at = row.text(6);
  version.published_by = row.text(7);
  version.deprecation = deprecation_columns(row, 8);
  return version;
}

class SqliteTransaction final : public StoreTransaction {
 public:
  SqliteTransaction(SqliteStore::Connection& connection, TransactionMode mode) : connection_(connection), mode_(mode) {
    connection_.in_transaction = true;
  }
  ~SqliteTransaction() override {
    if (!finished_) (void)connection_.execute("ROLLBACK", "rolling back");
    connection_.in_transaction = false;
  }
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  Result<std::optional<DomainRecord>> find_domain(const std::string& name) override {
    auto statement = connection_.prepare("SELECT name, created_at, owner_team FROM domains WHERE name = ?");
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, name);
    const int code = row.step();
    if (code == SQLITE_DONE) return std::optional<DomainRecord>();
    if (code != SQLITE_ROW) return connection_.error(code, "reading a domain");
    return std::optional<DomainRecord>(DomainRecord{row.text(0), row.text(1), 0, row.text(2), 0});
  }

  Result<std::vector<DomainRecord>> list_domains() override {
    auto statement = connection_.prepare(
        "SELECT d.name, d.created_at, (SELECT count(*) FROM products p WHERE p.domain = d.name), d.owner_team, "
        "(SELECT count(*) FROM versions v JOIN products p ON v.product_id = p.id WHERE p.domain = d.name) "
        "FROM domains d ORDER BY d.name");
    if (!statement.ok()) return statement.error();
    std::vector<DomainRecord> domains;
    auto& row = **statement;
    int code = 0;
    while ((code = row.step()) == SQLITE_ROW)
      domains.push_back({row.text(0), row.text(1), row.integer(2), row.text(3), row.integer(4)});
    if (code != SQLITE_DONE) return connection_.error(code, "listing domains");
    return domains;
  }

  Result<std::optional<ProductRecord>> find_product(const ProductRef& ref) override {
    auto statement = connection_.prepare(
        fmt::format("SELECT {} FROM products p WHERE p.domain = ? AND p.name = ?", kProductColumns));
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, ref.domain).bind(2, ref.name);
    const int code = row.step();
    if (code == SQLITE_DONE) return std::optional<ProductRecord>();
    if (code != SQLITE_ROW) return connection_.error(code, "reading a product");
    return std::optional<ProductRecord>(read_product(row));
  }

  Result<ProductPage> list_products(const ProductPageRequest& request) override {
    // The SQL text depends only on which filters are present, so the statement
    // cache holds a handful of variants.
    std::string sql = fmt::format("SELECT {} FROM products p WHERE 1 = 1", kProductColumns);
    if (request.filter.domain) sql += " AND p.domain = ?";
    if (request.filter.status) sql += " AND p.status = ?";
    for (std::size_t i = 0; i < request.filter.labels.size(); ++i) {
      sql += " AND EXISTS (SELECT 1 FROM product_labels l WHERE l.product_id = p.id AND l.key = ? AND l.value = ?)";
    }
    std::vector<std::string> facet_values;
    sql += sqlite_search::filter_conditions(request.filter, facet_values);
    if (request.after) sql += " AND (p.domain, p.name) > (?, ?)";
    sql += " ORDER BY p.domain, p.name LIMIT ?";
    auto statement = connection_.prepare(sql);
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    int index = 1;
    if (request.filter.domain) row.bind(index++, *request.filter.domain);
    if (request.filter.status) row.bind(index++, std::string_view(to_string(*request.filter.status)));
    for (const auto& [key, value] : request.filter.labels) {
      row.bind(index++, key);
      row.bind(index++, value);
    }
    for (const auto& value : facet_values) row.bind(index++, value);
    if (request.after) {
      row.bind(index++, request.after->domain);
      row.bind(index++, request.after->name);
    }
    const std::size_t limit = std::max<std::size_t>(request.limit, 1);
    row.bind(index++, static_cast<std::int64_t>(limit + 1));  // one more tells whether a next page exists

    ProductPage page;
    int code = 0;
    while ((code = row.step()) == SQLITE_ROW) {
      if (page.products.size() == limit) {
        page.next = page.products.back().ref;
        break;
      }
      page.products.push_back(read_product(row));
    }
    if (code != SQLITE_ROW && code != SQLITE_DONE) return connection_.error(code, "listing products");
    return page;
  }

  Result<std::vector<VersionRecord>> list_versions(const ProductRef& ref) override {
    auto statement =
        connection_.prepare(fmt::format("SELECT {} FROM versions v JOIN products p ON p.id = v.product_id "
                                        "WHERE p.domain = ? AND p.name = ? ORDER BY v.rowid",
                                        kVersionColumns));
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, ref.domain).bind(2, ref.name);
    std::vector<VersionRecord> versions;
    int code = 0;
    while ((code = row.step()) == SQLITE_ROW) versions.push_back(read_version(row));
    if (code != SQLITE_DONE) return connection_.error(code, "listing versions");
    return versions;
  }

  Result<std::optional<VersionRecord>> find_version(const ProductRef& ref, const std::string& version) override {
    auto statement =
        connection_.prepare(fmt::format("SELECT {} FROM versions v JOIN products p ON p.id = v.product_id "
                                        "WHERE p.domain = ? AND p.name = ? AND v.version = ?",
                                        kVersionColumns));
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, ref.domain).bind(2, ref.name).bind(3, version);
    const int code = row.step();
    if (code == SQLITE_DONE) return std::optional<VersionRecord>();
    if (code != SQLITE_ROW) return connection_.error(code, "reading a version");
    VersionRecord found = read_version(row);
    auto original = connection_.prepare(
        "SELECT o.format, o.documents FROM original_documents o JOIN products p ON p.id = o.product_id "
        "WHERE p.domain = ? AND p.name = ? AND o.version = ?");
    if (!original.ok()) return original.error();
    auto& documents = **original;
    documents.bind(1, ref.domain).bind(2, ref.name).bind(3, version);
    const int read = documents.step();
    if (read == SQLITE_ROW) {
      found.original = OriginalDocuments{documents.text(0), documents.text(1)};
    } else if (read != SQLITE_DONE) {
      return connection_.error(read, "reading a version's original documents");
    }
    return std::optional<VersionRecord>(std::move(found));
  }

  Result<std::vector<DependencyEdge>> dependencies_of(const ProductRef& consumer) override {
    return edges("WHERE c.domain = ? AND c.name = ? ORDER BY d.ordinal", consumer);
  }

  Result<std::vector<DependencyEdge>> dependents_of(const ProductRef& provider) override {
    return edges("WHERE d.provider_domain = ? AND d.provider_name = ? ORDER BY c.domain, c.name, d.ordinal", provider);
  }

  Result<std::vector<AuditEvent>> audit_events(const AuditSelection& selection) override {
    return sqlite_audit::audit_events(connection_, selection);
  }

  Result<std::vector<AuditEvent>> history(const ProductRef& ref, std::size_t limit, std::int64_t before_id) override {
    auto statement = connection_.prepare(
        "SELECT id, time, actor, action, domain, name, version, summary FROM audit_events "
        "WHERE domain = ? AND name = ? AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?");
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, ref.domain).bind(2, ref.name).bind(3, before_id).bind(4, before_id);
    row.bind(5, static_cast<std::int64_t>(limit));
    std::vector<AuditEvent> events;
    int code = 0;
    while ((code = row.step()) == SQLITE_ROW) {
      events.push_back({row.integer(0),
                        row.text(1),
                        row.text(2),
                        row.text(3),
                        {row.text(4), row.text(5)},
                        row.text(6),
                        row.text(7)});
    }
    if (code != SQLITE_DONE) return connection_.error(code, "reading the history");
    return events;
  }

  Status insert_domain(const DomainRecord& domain) override {
    return run("INSERT INTO domains (name, created_at, owner_team) VALUES (?, ?, ?)",
               fmt::format("creating domain {}", domain.name),
               [&](Statement& row) { row.bind(1, domain.name).bind(2, domain.created_at).bind(3, domain.owner_team); });
  }

  Result<std::int64_t> count_principals() override {
    auto statement = connection_.prepare("SELECT count(*) FROM principals");
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    const int code = row.step();
    if (code != SQLITE_ROW) return connection_.error(code, "counting principals");
    return row.integer(0);
  }

  Result<std::vector<PrincipalRecord>> list_principals() override {
    auto statement = connection_.prepare(fmt::format("SELECT {} FROM principals p ORDER BY p.name", kPrincipalColumns));
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    std::vector<PrincipalRecord> principals;
    int code = 0;
    while ((code = row.step()) == SQLITE_ROW) principals.push_back(read_principal(row));
    if (code != SQLITE_DONE) return connection_.error(code, "listing principals");
    return principals;
  }

  Result<std::optional<PrincipalRecord>> find_principal(const std::string& name) override {
    auto found = principal_where("p.name = ?", name);
    if (!found.ok()) return found.error();
    if (!found->has_value()) return std::optional<PrincipalRecord>();
    return std::optional<PrincipalRecord>(std::move((*found)->first));
  }

  Result<std::optional<std::pair<PrincipalRecord, std::string>>> find_credential(const std::string& token_id) override {
    return principal_where("p.token_id = ?", token_id);
  }

  Status insert_principal(const PrincipalRecord& principal, const std::string& secret_hash) override {
    const auto what = fmt::format("creating the token {}", principal.name);
    auto status =
        run("INSERT INTO principals (name, role, token_id, secret_hash, created_at, created_by, revoked_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            what, [&](Statement& row) {
              row.bind(1, principal.name).bind(2, std::string_view(to_string(principal.role)));
              row.bind(3, principal.token_id).bind(4, secret_hash).bind(5, principal.created_at);
              row.bind(6, principal.created_by).bind(7, principal.revoked_at).bind(8, principal.expires_at);
            });
    for (const auto& domain : principal.domains) {
      if (!status.ok()) return status;
      status = run("INSERT INTO principal_domains (principal, domain) VALUES (?, ?)", what,
                   [&](Statement& row) { row.bind(1, principal.name).bind(2, domain); });
    }
    return status;
  }

  Status revoke_principal(const std::string& name, const std::string& revoked_at) override {
    auto status = run("UPDATE principals SET revoked_at = ? WHERE name = ?", fmt::format("revoking the token {}", name),
                      [&](Statement& row) { row.bind(1, revoked_at).bind(2, name); });
    if (status.ok() && connection_.changes() == 0) {
      return make_error(ErrorKind::not_found, fmt::format("no token named {}", name));
    }
    return status;
  }

  Status replace_credential(const std::string& name, const std::string& token_id, const std::string& secret_hash,
                            const std::optional<std::string>& expires_at) override {
    auto status = run("UPDATE principals SET token_id = ?, secret_hash = ?, expires_at = ? WHERE name = ?",
                      fmt::format("rotating the token {}", name), [&](Statement& row) {
                        row.bind(1, token_id).bind(2, secret_hash).bind(3, expires_at).bind(4, name);
                      });
    if (status.ok() && connection_.changes() == 0) {
      return make_error(ErrorKind::not_found, fmt::format("no token named {}", name));
    }
    return status;
  }

  // Sessions of the web catalog (migration 11).
  Status insert_session(const SessionRecord& session) override {
    const auto what = fmt::format("signing {} in", session.principal);
    auto status = run("DELETE FROM catalog_sessions WHERE expires_at <= ?", what,
                      [&](Statement& row) { row.bind(1, session.created_at); });
    if (!status.ok()) return status;
    return run(
        "INSERT INTO catalog_sessions (secret_hash, principal, token_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        what, [&](Statement& row) {
          row.bind(1, session.secret_hash).bind(2, session.principal).bind(3, session.token_id);
          row.bind(4, session.created_at).bind(5, session.expires_at);
        });
  }

  Result<std::optional<SessionRecord>> find_session(const std::string& secret_hash) override {
    auto statement = connection_.prepare(
        "SELECT secret_hash, principal, token_id, created_at, expires_at FROM catalog_sessions "
        "WHERE secret_hash = ?");
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, secret_hash);
    const int code = row.step();
    if (code == SQLITE_DONE) return std::optional<SessionRecord>();
    if (code != SQLITE_ROW) return connection_.error(code, "reading a session");
    return std::optional<SessionRecord>(
        SessionRecord{row.text(0), row.text(1), row.text(2), row.text(3), row.text(4)});
  }

  Status delete_session(const std::string& secret_hash) override {
    return run("DELETE FROM catalog_sessions WHERE secret_hash = ?", "signing out",
               [&](Statement& row) { row.bind(1, secret_hash); });
  }

  Status insert_product(const ProductRecord& product) override {
    auto status =
        run("INSERT INTO products (domain, name, status, revision, latest_version, owner_team, owner_email, sunset, "
            "deprecation_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            fmt::format("creating product {}", product.ref.text()), [&](Statement& row) {
              row.bind(1, product.ref.domain).bind(2, product.ref.name);
              row.bind(3, std::string_view(to_string(product.status))).bind(4, product.revision);
              row.bind(5, product.latest_version).bind(6, product.owner.team).bind(7, product.owner.email);
              row.bind(8, sunset_of(product.deprecation)).bind(9, reason_of(product.deprecation));
              row.bind(10, product.created_at).bind(11, product.updated_at);
            });
    if (!status.ok()) return status;
    return write_labels(product);
  }

  Status update_product(const ProductRecord& product, std::int64_t expected_revision) override {
    auto status =
        run("UPDATE products SET status = ?, revision = ?, latest_version = ?, owner_team = ?, owner_email = ?, "
            "sunset = ?, deprecation_reason = ?, updated_at = ? WHERE domain = ? AND name = ? AND revision = ?",
            fmt::format("updating product {}", product.ref.text()), [&](Statement& row) {
              row.bind(1, std::string_view(to_string(product.status))).bind(2, expected_revision + 1);
              row.bind(3, product.latest_version).bind(4, product.owner.team).bind(5, product.owner.email);
              row.bind(6, sunset_of(product.deprecation)).bind(7, reason_of(product.deprecation));
              row.bind(8, product.updated_at).bind(9, product.ref.domain).bind(10, product.ref.name);
              row.bind(11, expected_revision);
            });
    if (!status.ok()) return status;
    if (connection_.changes() == 0) {
      return make_error(ErrorKind::conflict,
                        fmt::format("{} was changed by someone else since it was read (revision {}): read it again "
                                    "and retry",
                                    product.ref.text(), expected_revision),
                        {{"product", product.ref.text()}, {"expectedRevision", expected_revision}});
    }
    return write_labels(product);
  }

  Status insert_version(const VersionRecord& version) override {
    auto status =
        run(fmt::format("INSERT INTO versions (product_id, version, status, manifest, content_hash, published_at, "
                        "published_by, sunset, deprecation_reason) SELECT id, ?, ?, ?, ?, ?, ?, ?, ? FROM products "
                        "WHERE domain = ? AND name = ?"),
            fmt::format("publishing {}@{}", version.ref.text(), version.version), [&](Statement& row) {
              row.bind(1, version.version).bind(2, std::string_view(to_string(version.status)));
              row.bind(3, version.manifest_json).bind(4, version.content_hash);
              row.bind(5, version.published_at).bind(6, version.published_by);
              row.bind(7, sunset_of(version.deprecation)).bind(8, reason_of(version.deprecation));
              row.bind(9, version.ref.domain).bind(10, version.ref.name);
            });
    if (!status.ok()) return status;
    if (connection_.changes() == 0) return missing_product(version.ref);
    if (version.original) {
      auto kept = run("INSERT INTO original_documents (product_id, version, format, documents) "
                      "SELECT id, ?, ?, ? FROM products WHERE domain = ? AND name = ?",
                      fmt::format("keeping the original documents of {}@{}", version.ref.text(), version.version),
                      [&](Statement& row) {
                        row.bind(1, version.version).bind(2, version.original->format);
                        row.bind(3, version.original->documents_json);
                        row.bind(4, version.ref.domain).bind(5, version.ref.name);
                      });
      if (!kept.ok()) return kept;
    }
    return index_if_latest(version);
  }

  Result<std::vector<SearchCandidate>> search_products(const SearchSelection& selection) override {
    return sqlite_search::search_products(connection_, selection);
  }

  Status replace_similarity_entry(const ProductRef& ref, const SimilarityEntry& entry) override {
    auto statement = connection_.prepare("SELECT id FROM products WHERE domain = ? AND name = ?");
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, ref.domain).bind(2, ref.name);
    const int code = row.step();
    if (code == SQLITE_DONE) return missing_product(ref);
    if (code != SQLITE_ROW) return connection_.error(code, "indexing a product's schemas");
    const auto id = row.integer(0);
    statement->reset();
    return sqlite_similarity::replace_entry(connection_, id, entry);
  }

  Result<std::vector<SimilarityCandidate>> similarity_candidates(const SimilarityProbe& probe) override {
    return sqlite_similarity::candidates(connection_, probe);
  }

  Status update_version_status(const VersionRecord& version) override {
    auto status = run(fmt::format("UPDATE versions SET status = ?, sunset = ?, deprecation_reason = ? "
                                  "WHERE product_id = {} AND version = ?",
                                  kProductId),
                      fmt::format("updating {}@{}", version.ref.text(), version.version), [&](Statement& row) {
                        row.bind(1, std::string_view(to_string(version.status)));
                        row.bind(2, sunset_of(version.deprecation)).bind(3, reason_of(version.deprecation));
                        row.bind(4, version.ref.domain).bind(5, version.ref.name).bind(6, version.version);
                      });
    if (status.ok() && connection_.changes() == 0) {
      return make_error(ErrorKind::not_found, fmt::format("no version {} of {}", version.version, version.ref.text()));
    }
    return status;
  }

  Status replace_dependencies(const ProductRef& consumer, const std::vector<DependencyEdge>& edges) override {
    const auto what = fmt::format("recording the dependencies of {}", consumer.text());
    auto status = run(fmt::format("DELETE FROM dependencies WHERE product_id = {}", kProductId), what,
                      [&](Statement& row) { row.bind(1, consumer.domain).bind(2, consumer.name); });
    std::int64_t ordinal = 0;
    for (const auto& edge : edges) {
      if (!status.ok()) return status;
      status =
          run(fmt::format("INSERT INTO dependencies (product_id, ordinal, port, provider_domain, provider_name, "
                          "version_constraint) SELECT id, ?, ?, ?, ?, ? FROM products WHERE domain = ? AND name = ?"),
              what, [&](Statement& row) {
                row.bind(1, ordinal++).bind(2, edge.port).bind(3, edge.provider.domain).bind(4, edge.provider.name);
                row.bind(5, edge.version_constraint).bind(6, consumer.domain).bind(7, consumer.name);
              });
      if (status.ok() && connection_.changes() == 0) return missing_product(consumer);
    }
    return status;
  }

  Result<std::int64_t> append_audit(const AuditEvent& event) override {
    auto status = run(
        "INSERT INTO audit_events (time, actor, action, domain, name, version, summary) VALUES (?, ?, ?, ?, ?, ?, ?)",
        "recording the audit event", [&](Statement& row) {
          row.bind(1, event.time).bind(2, event.actor).bind(3, event.action).bind(4, event.ref.domain);
          row.bind(5, event.ref.name).bind(6, event.version).bind(7, event.summary);
        });
    if (!status.ok()) return status.error();
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(connection_.db));
  }

  // A write transaction holds SQLite's one write lock from its start: publishers already take turns.
  Result<std::optional<StandardsRecord>> latest_standards() override {
    auto statement = connection_.prepare(
        "SELECT version, text, content_hash, published_at, published_by FROM standards ORDER BY version DESC LIMIT 1");
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    const int code = row.step();
    if (code == SQLITE_DONE) return std::optional<StandardsRecord>();
    if (code != SQLITE_ROW) return connection_.error(code, "reading the registry's standards");
    return std::optional<StandardsRecord>(
        StandardsRecord{row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4)});
  }

  Status insert_standards(const StandardsRecord& record) override {
    return run("INSERT INTO standards (version, text, content_hash, published_at, published_by) VALUES (?, ?, ?, ?, ?)",
               fmt::format("publishing standards version {}", record.version), [&](Statement& row) {
                 row.bind(1, record.version).bind(2, record.text).bind(3, record.content_hash);
                 row.bind(4, record.published_at).bind(5, record.published_by);
               });
  }

  // The business glossary: the SQL is in sqlite_glossary.cpp.
  Result<std::optional<GlossaryRecord>> find_glossary(const std::string& domain, const std::string& name) override {
    return sqlite_glossary::find_glossary(connection_, domain, name);
  }
  Result<std::optional<GlossaryVersionRecord>> find_glossary_version(const std::string& domain,
                                                                     const std::string& name,
                                                                     const std::string& version) override {
    return sqlite_glossary::find_glossary_version(connection_, domain, name, version);
  }
  Status save_glossary(const GlossaryRecord& glossary, std::int64_t expected_revision) override {
    return sqlite_glossary::save_glossary(connection_, mode_, glossary, expected_revision);
  }
  Status insert_glossary_version(const GlossaryVersionRecord& version, const std::vector<TermRecord>& terms) override {
    return sqlite_glossary::insert_glossary_version(connection_, mode_, version, terms);
  }
  Result<std::vector<TermRecord>> list_terms(const std::optional<std::string>& domain) override {
    return sqlite_glossary::list_terms(connection_, domain);
  }
  Result<std::optional<TermRecord>> find_term(const std::string& name) override {
    return sqlite_glossary::find_term(connection_, name);
  }

  // Quality runs: the SQL is in sqlite_quality.cpp.
  Result<std::int64_t> insert_quality_run(const QualityRun& run) override {
    return sqlite_quality::insert_quality_run(connection_, mode_, run);
  }
  Result<std::vector<QualityRun>> quality_runs(const ProductRef& ref, const QualitySelection& selection) override {
    return sqlite_quality::quality_runs(connection_, ref, selection);
  }

  // Usage: the SQL is in sqlite_usage.cpp.
  Status upsert_subscription(const Subscription& subscription) override {
    return sqlite_usage::upsert_subscription(connection_, mode_, subscription);
  }
  Result<std::int64_t> delete_subscriptions(const ProductRef& product, const std::string& consumer,
                                            const std::optional<std::string>& port) override {
    return sqlite_usage::delete_subscriptions(connection_, mode_, product, consumer, port);
  }
  Result<std::vector<Subscription>> list_subscriptions(const std::optional<ProductRef>& product) override {
    return sqlite_usage::list_subscriptions(connection_, product);
  }
  Result<std::vector<bool>> remember_usage_ids(const std::vector<std::string>& ids,
                                               const std::string& reported_by) override {
    return sqlite_usage::remember_usage_ids(connection_, mode_, ids, reported_by);
  }
  Status add_usage_days(const std::vector<UsageDay>& days) override {
    return sqlite_usage::add_usage_days(connection_, mode_, days);
  }
  Result<std::vector<UsageDay>> usage_days(const ProductRef& product, const std::string& since_day) override {
    return sqlite_usage::usage_days(connection_, product, since_day);
  }
  Status record_freshness(const FreshnessRecord& record, const std::string& history_since) override {
    return sqlite_usage::record_freshness(connection_, mode_, record, history_since);
  }
  Result<std::vector<FreshnessRecord>> freshness_of(const ProductRef& product) override {
    return sqlite_usage::freshness_of(connection_, product);
  }
  Result<std::vector<FreshnessRecord>> freshness_history(const ProductRef& product, const std::string& since) override {
    return sqlite_usage::freshness_history(connection_, product, since);
  }
  Result<std::vector<DependencyEdge>> all_dependencies() override {
    return sqlite_usage::all_dependencies(connection_);
  }
  Result<AttentionInputs> attention_inputs() override { return sqlite_attention::attention_inputs(connection_); }

  Status commit() override {
    if (finished_) return make_error(ErrorKind::invalid, "the transaction is already finished");
    auto status = connection_.execute_with_retry("COMMIT", "committing");
    finished_ = true;
    if (!status.ok()) (void)connection_.execute("ROLLBACK", "rolling back");
    return status;
  }

 private:
  template <typename Bind>
  Status run(const std::string& sql, std::string_view what, Bind bind) {
    if (mode_ != TransactionMode::write) {
      return make_error(ErrorKind::invalid, fmt::format("{}: a read transaction cannot write", what));
    }
    auto statement = connection_.prepare(sql);
    if (!statement.ok()) return statement.error();
    bind(**statement);
    const int code = (*statement)->step();
    if (code != SQLITE_DONE) return connection_.error(sqlite3_extended_errcode(connection_.db), what);
    return ok_status();
  }

  Result<std::vector<DependencyEdge>> edges(const char* where, const ProductRef& ref) {
    auto statement = connection_.prepare(
        std::string("SELECT c.domain, c.name, d.port, d.provider_domain, d.provider_name, d.version_constraint, "
                    "c.status FROM dependencies d JOIN products c ON c.id = d.product_id ") +
        where);
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, ref.domain).bind(2, ref.name);
    std::vector<DependencyEdge> result;
    int code = 0;
    while ((code = row.step()) == SQLITE_ROW) {
      result.push_back(
          {{row.text(0), row.text(1)}, row.text(2), {row.text(3), row.text(4)}, row.text(5), status_column(row, 6)});
    }
    if (code != SQLITE_DONE) return connection_.error(code, "reading dependencies");
    return result;
  }

  // The product's search index follows its latest version.
  Status index_if_latest(const VersionRecord& version) {
    auto statement =
        connection_.prepare("SELECT id FROM products WHERE domain = ? AND name = ? AND latest_version = ?");
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, version.ref.domain).bind(2, version.ref.name).bind(3, version.version);
    const int code = row.step();
    if (code == SQLITE_DONE) return ok_status();
    if (code != SQLITE_ROW) return connection_.error(code, "indexing a product for search");
    return sqlite_search::index_product(connection_, row.integer(0), version.manifest_json);
  }

  Status write_labels(const ProductRecord& product) {
    const auto what = fmt::format("recording the labels of {}", product.ref.text());
    auto status = run(fmt::format("DELETE FROM product_labels WHERE product_id = {}", kProductId), what,
                      [&](Statement& row) { row.bind(1, product.ref.domain).bind(2, product.ref.name); });
    // A named pair, not a structured binding: clang before 16 cannot capture a binding in a lambda.
    for (const auto& label : product.labels) {
      if (!status.ok()) return status;
      status =
          run("INSERT INTO product_labels (product_id, key, value) SELECT id, ?, ? FROM products "
              "WHERE domain = ? AND name = ?",
              what, [&](Statement& row) {
                row.bind(1, label.first).bind(2, label.second).bind(3, product.ref.domain).bind(4, product.ref.name);
              });
    }
    return status;
  }

  Result<std::optional<std::pair<PrincipalRecord, std::string>>> principal_where(const char* condition,
                                                                                 const std::string& value) {
    using Found = std::optional<std::pair<PrincipalRecord, std::string>>;
    auto statement = connection_.prepare(
        fmt::format("SELECT {}, p.secret_hash FROM principals p WHERE {}", kPrincipalColumns, condition));
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, value);
    const int code = row.step();
    if (code == SQLITE_DONE) return Found();
    if (code != SQLITE_ROW) return connection_.error(code, "reading a principal");
    return Found(std::pair{read_principal(row), row.text(kSecretHashColumn)});
  }

  static Error missing_product(const ProductRef& ref) {
    return make_error(ErrorKind::not_found, fmt::format("no product {}", ref.text()));
  }

  SqliteStore::Connection& connection_;
  TransactionMode mode_;
  bool finished_ = false;
};

}  // namespace

const char* sqlite_product_columns() {
  return kProductColumns;
}

ProductRecord read_sqlite_product(const Statement& row) {
  return read_product(row);
}

std::unique_ptr<StoreTransaction> make_sqlite_transaction(SqliteStore::Connection& connection, TransactionMode mode) {
  return std::make_unique<SqliteTransaction>(connection, mode);
}

}  // namespace meshctl::registry
