// The PostgreSQL store's transaction: products, versions, dependencies and the
// audit log as SQL. The locking strategy is explained in postgres_transaction.h.

#include "store/postgres/postgres_transaction.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "meshctl/store/columns.h"
#include "store/postgres/postgres_search.h"

namespace meshctl::registry {

AuditEvent read_audit_event(const pqxx::row& row) {
  return {integer(row, 0), text(row, 1), text(row, 2), text(row, 3), {text(row, 4), text(row, 5)},
          text(row, 6),    text(row, 7)};
}

namespace {

constexpr const char* kPgProductColumns =
    "p.domain, p.name, p.status, p.revision, p.latest_version, p.owner_team, p.owner_email, p.sunset, "
    "p.deprecation_reason, p.created_at, p.updated_at, "
    "(SELECT json_object_agg(l.key, l.value) FROM product_labels l WHERE l.product_id = p.id)";

constexpr const char* kPgVersionColumns =
    "p.domain, p.name, v.version, v.status, v.manifest, v.content_hash, v.published_at, v.published_by, v.sunset, "
    "v.deprecation_reason";

LifecycleStatus status_column(const pqxx::row& row, int column) {
  return parse_lifecycle_status(text(row, column)).value_or(LifecycleStatus::active);
}

std::optional<Deprecation> deprecation_columns(const pqxx::row& row, int sunset_column) {
  auto sunset = optional_text(row, sunset_column);
  if (!sunset) return std::nullopt;
  return Deprecation{*sunset, text(row, sunset_column + 1)};
}

ProductRecord read_product(const pqxx::row& row) {
  ProductRecord product;
  product.ref = {text(row, 0), text(row, 1)};
  product.status = status_column(row, 2);
  product.revision = integer(row, 3);
  product.latest_version = text(row, 4);
  product.owner = {text(row, 5), text(row, 6)};
  product.deprecation = deprecation_columns(row, 7);
  product.created_at = text(row, 9);
  product.updated_at = text(row, 10);
  if (auto labels = optional_text(row, 11)) {
    const auto document = nlohmann::json::parse(*labels, nullptr, false);
    if (document.is_object()) {
      for (const auto& [key, value] : document.items()) {
        if (value.is_string()) product.labels[key] = value.get<std::string>();
      }
    }
  }
  return product;
}

VersionRecord read_version(const pqxx::row& row) {
  VersionRecord version;
  version.ref = {text(row, 0), text(row, 1)};
  version.version = text(row, 2);
  version.status = status_column(row, 3);
  version.manifest_json = text(row, 4);
  version.content_hash = text(row, 5);
  version.published_at = text(row, 6);
  version.published_by = text(row, 7);
  version.deprecation = deprecation_columns(row, 8);
  return version;
}

Error missing_product(const ProductRef& ref) {
  return make_error(ErrorKind::not_found, fmt::format("no product {}", ref.text()));
}

}  // namespace

const char* postgres_product_columns() {
  return kPgProductColumns;
}

ProductRecord read_postgres_product(const pqxx::row& row) {
  return read_product(row);
}

PostgresTransaction::PostgresTransaction(PostgresStore::Connection& connection, TransactionMode mode)
    : connection_(connection), mode_(mode) {
  if (mode == TransactionMode::write) {
    transaction_ = std::make_unique<pqxx::transaction<pqxx::read_committed>>(*connection_.db);
  } else {
    transaction_ = std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(*connection_.db);
  }
  connection_.in_transaction = true;
}

PostgresTransaction::~PostgresTransaction() {
  transaction_.reset();  // rolls back unless committed; never throws
  connection_.in_transaction = false;
}

Status PostgresTransaction::require_write(std::string_view what) const {
  if (mode_ == TransactionMode::write) return ok_status();
  return make_error(ErrorKind::invalid, fmt::format("{}: a read transaction cannot write", what));
}

void PostgresTransaction::lock(LockSpace space, const std::string& key, bool shared) {
  if (mode_ != TransactionMode::write) return;
  // hashtext folds the key to the lock's second int: two keys that collide
  // only share a lock (a writer waits needlessly), never lose one.
  execute(shared ? "SELECT pg_advisory_xact_lock_shared($1::int, hashtext($2))"
                 : "SELECT pg_advisory_xact_lock($1::int, hashtext($2))",
          {std::to_string(static_cast<int>(space)), key});
}

Result<std::optional<ProductRecord>> PostgresTransaction::find_product(const ProductRef& ref) {
  return guarded(connection_, "reading a product", [&]() -> Result<std::optional<ProductRecord>> {
    lock(LockSpace::product, ref.text());
    const auto rows =
        execute(fmt::format("SELECT {} FROM products p WHERE p.domain = $1 AND p.name = $2", kPgProductColumns),
                {ref.domain, ref.name});
    if (rows.empty()) return std::optional<ProductRecord>();
    return std::optional<ProductRecord>(read_product(rows[0]));
  });
}

Result<ProductPage> PostgresTransaction::list_products(const ProductPageRequest& request) {
  return guarded(connection_, "listing products", [&]() -> Result<ProductPage> {
    // The SQL text depends only on which filters are present, so the prepared
    // statements are a handful of variants.
    std::string sql = fmt::format("SELECT {} FROM products p WHERE TRUE", kPgProductColumns);
    Parameters parameters;
    const auto next = [&parameters](std::string value) {
      parameters.emplace_back(std::move(value));
      return fmt::format("${}", parameters.size());
    };
    if (request.filter.domain) sql += " AND p.domain = " + next(*request.filter.domain);
    if (request.filter.status) sql += " AND p.status = " + next(to_string(*request.filter.status));
    for (const auto& [key, value] : request.filter.labels) {
      const auto key_parameter = next(key);
      sql += fmt::format(
          " AND EXISTS (SELECT 1 FROM product_labels l WHERE l.product_id = p.id AND l.key = {} AND l.value = {})",
          key_parameter, next(value));
    }
    sql += postgres_search::filter_conditions(request.filter, parameters);
    if (request.after) {
      const auto domain_parameter = next(request.after->domain);
      sql += fmt::format(" AND (p.domain, p.name) > ({}, {})", domain_parameter, next(request.after->name));
    }
    const std::size_t limit = std::max<std::size_t>(request.limit, 1);
    // One more row than asked tells whether a next page exists.
    sql += " ORDER BY p.domain, p.name LIMIT " + next(std::to_string(limit + 1)) + "::bigint";

    ProductPage page;
    for (const auto& row : execute(sql, parameters)) {
      if (page.products.size() == limit) {
        page.next = page.products.back().ref;
        break;
      }
      page.products.push_back(read_product(row));
    }
    return page;
  });
}

Result<std::vector<VersionRecord>> PostgresTransaction::list_versions(const ProductRef& ref) {
  return guarded(connection_, "listing versions", [&]() -> Result<std::vector<VersionRecord>> {
    std::vector<VersionRecord> versions;
    for (const auto& row : execute(fmt::format("SELECT {} FROM versions v JOIN products p ON p.id = v.product_id "
                                               "WHERE p.domain = $1 AND p.name = $2 ORDER BY v.id",
                                               kPgVersionColumns),
                                   {ref.domain, ref.name})) {
      versions.push_back(read_version(row));
    }
    return versions;
  });
}

Result<std::optional<VersionRecord>> PostgresTransaction::find_version(const ProductRef& ref,
                                                                       const std::string& version) {
  return guarded(connection_, "reading a version", [&]() -> Result<std::optional<VersionRecord>> {
    const auto rows = execute(fmt::format("SELECT {} FROM versions v JOIN products p ON p.id = v.product_id "
                                          "WHERE p.domain = $1 AND p.name = $2 AND v.version = $3",
                                          kPgVersionColumns),
                              {ref.domain, ref.name, version});
    if (rows.empty()) return std::optional<VersionRecord>();
    VersionRecord found = read_version(rows[0]);
    const auto original = execute(
        "SELECT o.format, o.documents FROM original_documents o JOIN products p ON p.id = o.product_id "
        "WHERE p.domain = $1 AND p.name = $2 AND o.version = $3",
        {ref.domain, ref.name, version});
    if (!original.empty()) {
      found.original = OriginalDocuments{original[0][0].c_str(), original[0][1].c_str()};
    }
    return std::optional<VersionRecord>(std::move(found));
  });
}

Result<std::vector<DependencyEdge>> PostgresTransaction::dependencies_of(const ProductRef& consumer) {
  return edges("WHERE c.domain = $1 AND c.name = $2 ORDER BY d.ordinal", consumer);
}

Result<std::vector<DependencyEdge>> PostgresTransaction::dependents_of(const ProductRef& provider) {
  return edges("WHERE d.provider_domain = $1 AND d.provider_name = $2 ORDER BY c.domain, c.name, d.ordinal", provider);
}

Result<std::vector<DependencyEdge>> PostgresTransaction::edges(const std::string& where, const ProductRef& ref) {
  return guarded(connection_, "reading dependencies", [&]() -> Result<std::vector<DependencyEdge>> {
    std::vector<DependencyEdge> result;
    for (const auto& row :
         execute("SELECT c.domain, c.name, d.port, d.provider_domain, d.provider_name, d.version_constraint, "
                 "c.status FROM dependencies d JOIN products c ON c.id = d.product_id " +
                     where,
                 {ref.domain, ref.name})) {
      result.push_back({{text(row, 0), text(row, 1)},
                        text(row, 2),
                        {text(row, 3), text(row, 4)},
                        text(row, 5),
                        status_column(row, 6)});
    }
    return result;
  });
}

Result<std::vector<AuditEvent>> PostgresTransaction::history(const ProductRef& ref, std::size_t limit,
                                                             std::int64_t before_id) {
  return guarded(connection_, "reading the history", [&]() -> Result<std::vector<AuditEvent>> {
    std::vector<AuditEvent> events;
    for (const auto& row : execute("SELECT id, time, actor, action, domain, name, version, summary FROM audit_events "
                                   "WHERE domain = $1 AND name = $2 AND ($3::bigint = 0 OR id < $3::bigint) "
                                   "ORDER BY id DESC LIMIT $4::bigint",
                                   {ref.domain, ref.name, std::to_string(before_id), std::to_string(limit)})) {
      events.push_back(read_audit_event(row));
    }
    return events;
  });
}

Status PostgresTransaction::insert_product(const ProductRecord& product) {
  const auto what = fmt::format("creating product {}", product.ref.text());
  if (auto status = require_write(what); !status.ok()) return status;
  auto status = guarded(connection_, what, [&]() -> Status {
    execute(
        "INSERT INTO products (domain, name, status, revision, latest_version, owner_team, owner_email, sunset, "
        "deprecation_reason, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        {product.ref.domain, product.ref.name, to_string(product.status), std::to_string(product.revision),
         product.latest_version, product.owner.team, product.owner.email, sunset_of(product.deprecation),
         reason_of(product.deprecation), product.created_at, product.updated_at});
    return ok_status();
  });
  if (!status.ok()) return status;
  return write_labels(product);
}

Status PostgresTransaction::update_product(const ProductRecord& product, std::int64_t expected_revision) {
  const auto what = fmt::format("updating product {}", product.ref.text());
  if (auto status = require_write(what); !status.ok()) return status;
  auto status = guarded(connection_, what, [&]() -> Status {
    const auto result = execute(
        "UPDATE products SET status = $1, revision = $2, latest_version = $3, owner_team = $4, owner_email = $5, "
        "sunset = $6, deprecation_reason = $7, updated_at = $8 WHERE domain = $9 AND name = $10 AND revision = $11",
        {to_string(product.status), std::to_string(expected_revision + 1), product.latest_version, product.owner.team,
         product.owner.email, sunset_of(product.deprecation), reason_of(product.deprecation), product.updated_at,
         product.ref.domain, product.ref.name, std::to_string(expected_revision)});
    if (result.affected_rows() == 0) {
      return make_error(ErrorKind::conflict,
                        fmt::format("{} was changed by someone else since it was read (revision {}): read it again "
                                    "and retry",
                                    product.ref.text(), expected_revision),
                        {{"product", product.ref.text()}, {"expectedRevision", expected_revision}});
    }
    return ok_status();
  });
  if (!status.ok()) return status;
  return write_labels(product);
}

Status PostgresTransaction::write_labels(const ProductRecord& product) {
  return guarded(connection_, fmt::format("recording the labels of {}", product.ref.text()), [&]() -> Status {
    const auto product_id =
        execute("SELECT id FROM products WHERE domain = $1 AND name = $2", {product.ref.domain, product.ref.name});
    if (product_id.empty()) return missing_product(product.ref);
    const std::string id = product_id[0][0].c_str();
    execute("DELETE FROM product_labels WHERE product_id = $1", {id});
    for (const auto& [key, value] : product.labels) {
      execute("INSERT INTO product_labels (product_id, key, value) VALUES ($1, $2, $3)", {id, key, value});
    }
    return ok_status();
  });
}

Status PostgresTransaction::insert_version(const VersionRecord& version) {
  const auto what = fmt::format("publishing {}@{}", version.ref.text(), version.version);
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    const auto result = execute(
        "INSERT INTO versions (product_id, version, status, manifest, content_hash, published_at, published_by, "
        "sunset, deprecation_reason) SELECT id, $1, $2, $3, $4, $5, $6, $7, $8 FROM products "
        "WHERE domain = $9 AND name = $10",
        {version.version, to_string(version.status), version.manifest_json, version.content_hash, version.published_at,
         version.published_by, sunset_of(version.deprecation), reason_of(version.deprecation), version.ref.domain,
         version.ref.name});
    if (result.affected_rows() == 0) return missing_product(version.ref);
    if (version.original) {
      execute("INSERT INTO original_documents (product_id, version, format, documents) "
              "SELECT id, $1, $2, $3 FROM products WHERE domain = $4 AND name = $5",
              {version.version, version.original->format, version.original->documents_json, version.ref.domain,
               version.ref.name});
    }
    // The product's search index follows its latest version.
    const auto latest = execute("SELECT id FROM products WHERE domain = $1 AND name = $2 AND latest_version = $3",
                                {version.ref.domain, version.ref.name, version.version});
    if (!latest.empty()) postgres_search::index_product(*transaction_, integer(latest[0], 0), version.manifest_json);
    return ok_status();
  });
}

Status PostgresTransaction::update_version_status(const VersionRecord& version) {
  const auto what = fmt::format("updating {}@{}", version.ref.text(), version.version);
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    const auto result = execute(
        "UPDATE versions SET status = $1, sunset = $2, deprecation_reason = $3 "
        "WHERE product_id = (SELECT id FROM products WHERE domain = $4 AND name = $5) AND version = $6",
        {to_string(version.status), sunset_of(version.deprecation), reason_of(version.deprecation), version.ref.domain,
         version.ref.name, version.version});
    if (result.affected_rows() == 0) {
      return make_error(ErrorKind::not_found, fmt::format("no version {} of {}", version.version, version.ref.text()));
    }
    return ok_status();
  });
}

Status PostgresTransaction::replace_dependencies(const ProductRef& consumer, const std::vector<DependencyEdge>& edges) {
  const auto what = fmt::format("recording the dependencies of {}", consumer.text());
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    const auto product_id =
        execute("SELECT id FROM products WHERE domain = $1 AND name = $2", {consumer.domain, consumer.name});
    if (product_id.empty()) return missing_product(consumer);
    const std::string id = product_id[0][0].c_str();
    execute("DELETE FROM dependencies WHERE product_id = $1", {id});
    std::int64_t ordinal = 0;
    for (const auto& edge : edges) {
      lock(LockSpace::product, edge.provider.text(), /*shared=*/true);
      execute(
          "INSERT INTO dependencies (product_id, ordinal, port, provider_domain, provider_name, "
          "version_constraint) VALUES ($1, $2, $3, $4, $5, $6)",
          {id, std::to_string(ordinal++), edge.port, edge.provider.domain, edge.provider.name,
           edge.version_constraint});
    }
    return ok_status();
  });
}

Result<std::int64_t> PostgresTransaction::append_audit(const AuditEvent& event) {
  const std::string what = "recording the audit event";
  if (auto status = require_write(what); !status.ok()) return status.error();
  return guarded(connection_, what, [&]() -> Result<std::int64_t> {
    const auto rows = execute(
        "INSERT INTO audit_events (time, actor, action, domain, name, version, summary) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {event.time, event.actor, event.action, event.ref.domain, event.ref.name, event.version, event.summary});
    return integer(rows[0], 0);
  });
}

Result<std::optional<StandardsRecord>> PostgresTransaction::latest_standards() {
  return guarded(connection_, "reading the registry's standards", [&]() -> Result<std::optional<StandardsRecord>> {
    // Two admins publishing at once: the second waits here, then reads the first's version.
    lock(LockSpace::standards, "");
    const auto rows = execute(
        "SELECT version, text, content_hash, published_at, published_by FROM standards ORDER BY version DESC LIMIT 1",
        {});
    if (rows.empty()) return std::optional<StandardsRecord>();
    return std::optional<StandardsRecord>(
        StandardsRecord{integer(rows[0], 0), text(rows[0], 1), text(rows[0], 2), text(rows[0], 3), text(rows[0], 4)});
  });
}

Status PostgresTransaction::insert_standards(const StandardsRecord& record) {
  const auto what = fmt::format("publishing standards version {}", record.version);
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    execute(
        "INSERT INTO standards (version, text, content_hash, published_at, published_by) "
        "VALUES ($1, $2, $3, $4, $5)",
        {std::to_string(record.version), record.text, record.content_hash, record.published_at, record.published_by});
    return ok_status();
  });
}

Status PostgresTransaction::commit() {
  if (finished_) return make_error(ErrorKind::invalid, "the transaction is already finished");
  finished_ = true;
  return guarded(connection_, "committing", [&]() -> Status {
    transaction_->commit();
    return ok_status();
  });
}

std::unique_ptr<StoreTransaction> make_postgres_transaction(PostgresStore::Connection& connection,
                                                            TransactionMode mode) {
  return std::make_unique<PostgresTransaction>(connection, mode);
}

}  // namespace meshctl::registry
