#include "store/postgres/postgres_schema.h"

#include "meshctl/store/postgres/postgres_store.h"
#include "store/postgres/postgres_search.h"
#include "store/postgres/postgres_similarity.h"

namespace meshctl::registry {
namespace postgres_schema {
namespace {

// Differences from the SQLite schema, all for the same behaviour:
// - Names that order or page (domain, product and principal names) are
//   COLLATE "C": byte order, as SQLite's, whatever the database's locale.
// - versions.id and audit_events.id are identity columns: SQLite orders
//   versions by rowid and audit events by an AUTOINCREMENT key.

// Version 1: domains, products, versions, dependency edges, audit log.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE domains (
  name TEXT COLLATE "C" PRIMARY KEY NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE products (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain TEXT COLLATE "C" NOT NULL REFERENCES domains(name),
  name TEXT COLLATE "C" NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'deprecated', 'retired')),
  revision BIGINT NOT NULL,
  latest_version TEXT NOT NULL,
  owner_team TEXT NOT NULL DEFAULT '',
  owner_email TEXT NOT NULL DEFAULT '',
  sunset TEXT,
  deprecation_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (domain, name)
);
CREATE TABLE versions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id BIGINT NOT NULL REFERENCES products(id),
  version TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'deprecated', 'retired')),
  manifest TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  published_at TEXT NOT NULL,
  published_by TEXT NOT NULL,
  sunset TEXT,
  deprecation_reason TEXT,
  UNIQUE (product_id, version)
);
CREATE TABLE dependencies (
  product_id BIGINT NOT NULL REFERENCES products(id),
  ordinal BIGINT NOT NULL,
  port TEXT NOT NULL,
  provider_domain TEXT COLLATE "C" NOT NULL,
  provider_name TEXT COLLATE "C" NOT NULL,
  version_constraint TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (product_id, ordinal)
);
CREATE INDEX dependencies_by_provider ON dependencies(provider_domain, provider_name);
CREATE TABLE audit_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  domain TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_by_product ON audit_events(domain, name, id);
)sql";

// Version 2: product labels, for `get products --label k=v`. Existing products
// get the labels of their latest version's manifest.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE product_labels (
  product_id BIGINT NOT NULL REFERENCES products(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (product_id, key)
);
CREATE INDEX product_labels_by_pair ON product_labels(key, value);
INSERT INTO product_labels (product_id, key, value)
  SELECT p.id, label.key, label.value
  FROM products p
  JOIN versions v ON v.product_id = p.id AND v.version = p.latest_version,
       json_each_text(CASE WHEN json_typeof(v.manifest::json -> 'metadata' -> 'labels') = 'object'
                           THEN v.manifest::json -> 'metadata' -> 'labels' ELSE '{}'::json END) AS label;
)sql";

// Version 3: access. A domain's owner team; principals (named tokens, the
// secret stored only as its SHA-256) and an owner's domains.
constexpr std::string_view kVersion3 = R"sql(
ALTER TABLE domains ADD COLUMN owner_team TEXT NOT NULL DEFAULT '';
CREATE TABLE principals (
  name TEXT COLLATE "C" PRIMARY KEY NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'owner', 'reader')),
  token_id TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE principal_domains (
  principal TEXT COLLATE "C" NOT NULL REFERENCES principals(name),
  domain TEXT COLLATE "C" NOT NULL REFERENCES domains(name),
  PRIMARY KEY (principal, domain)
);
)sql";

// Version 4: usage. Products are named by (domain, name) text, as
// in SQLite, so these tables are written without a join.
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE subscriptions (
  domain TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  consumer TEXT COLLATE "C" NOT NULL,
  port TEXT COLLATE "C" NOT NULL DEFAULT '',
  team TEXT NOT NULL,
  version_constraint TEXT NOT NULL DEFAULT '',
  purpose TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (domain, name, consumer, port)
);
CREATE TABLE usage_event_ids (id TEXT PRIMARY KEY NOT NULL);
CREATE TABLE usage_days (
  domain TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  consumer TEXT COLLATE "C" NOT NULL,
  port TEXT COLLATE "C" NOT NULL,
  version TEXT COLLATE "C" NOT NULL DEFAULT '',
  event_count BIGINT NOT NULL,
  row_count BIGINT NOT NULL,
  byte_count BIGINT NOT NULL,
  last_seen TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (domain, name, day, consumer, port, version)
);
CREATE TABLE freshness (
  domain TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  port TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  reported_at TEXT NOT NULL,
  PRIMARY KEY (domain, name, port)
);
)sql";

// Version 5: governance (issue 15). A token may expire (expires_at, NULL: never); the platform's
// standards live in the registry, one row per published version; a subscription keeps the domains of
// the principal that made it (comma-separated, empty when the embedded registry or an admin made it),
// the team allowed to remove it; every usage event id and freshness record keeps who reported it; the
// registry-wide audit is read by time.
constexpr std::string_view kVersion5 = R"sql(
ALTER TABLE principals ADD COLUMN expires_at TEXT;
CREATE TABLE standards (
  version INTEGER PRIMARY KEY NOT NULL,
  text TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  published_at TEXT NOT NULL,
  published_by TEXT NOT NULL
);
ALTER TABLE subscriptions ADD COLUMN owner_domains TEXT NOT NULL DEFAULT '';
ALTER TABLE usage_event_ids ADD COLUMN reported_by TEXT NOT NULL DEFAULT '';
ALTER TABLE freshness ADD COLUMN reported_by TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_events_by_time ON audit_events(time COLLATE "C", id);
)sql";

// Version 6: quality runs (issue 16). `meshctl test --publish` records one row per tested output port
// of a published version: who, when, the count of checks per status, and every check's result as a JSON
// array (checks). Read newest first per product, and per version and port (describe's latest runs).
constexpr std::string_view kVersion6 = R"sql(
CREATE TABLE quality_runs (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  version TEXT COLLATE "C" NOT NULL,
  port TEXT COLLATE "C" NOT NULL,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  passed BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  warning BIGINT NOT NULL,
  error BIGINT NOT NULL,
  skipped BIGINT NOT NULL,
  checks TEXT NOT NULL
);
CREATE INDEX quality_runs_by_product ON quality_runs(domain, name, id);
CREATE INDEX quality_runs_by_port ON quality_runs(domain, name, version, port, id);
)sql";

// Version 7: full-text search (issue 18). product_search, one weighted tsvector per product of its latest
// version's words (names A, schema B, text C: catalog/search.h) under the 'simple' configuration (the words
// are made by meshctl, so both stores match the same ones), GIN-indexed; product_facets, what the filters
// of search and `get products` select on. Existing products are indexed from their latest manifest.
constexpr std::string_view kVersion7 = R"sql(
CREATE TABLE product_search (
  product_id BIGINT PRIMARY KEY REFERENCES products(id),
  document tsvector NOT NULL
);
CREATE INDEX product_search_document ON product_search USING GIN (document);
CREATE TABLE product_facets (
  product_id BIGINT NOT NULL REFERENCES products(id),
  kind TEXT NOT NULL CHECK (kind IN ('tag', 'field', 'term', 'pii')),
  value TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (product_id, kind, value)
);
CREATE INDEX product_facets_by_value ON product_facets(kind, value, product_id);
)sql";

// Version 8: the business glossary (issue 18), as SQLite's version 8: glossaries, their versions, and
// the terms of each glossary's latest version (a term's name unique across the mesh).
constexpr std::string_view kVersion8 = R"sql(
CREATE TABLE glossaries (
  domain TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  latest_version TEXT NOT NULL,
  revision BIGINT NOT NULL,
  owner_team TEXT NOT NULL,
  owner_email TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (domain, name)
);
CREATE TABLE glossary_versions (
  domain TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  version TEXT COLLATE "C" NOT NULL,
  document TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  published_at TEXT NOT NULL,
  published_by TEXT NOT NULL,
  PRIMARY KEY (domain, name, version)
);
CREATE TABLE glossary_terms (
  name TEXT COLLATE "C" PRIMARY KEY,
  domain TEXT COLLATE "C" NOT NULL,
  glossary TEXT COLLATE "C" NOT NULL,
  version TEXT NOT NULL,
  status TEXT NOT NULL,
  document TEXT NOT NULL
);
CREATE INDEX glossary_terms_by_glossary ON glossary_terms(domain, glossary);
)sql";

// Version 10: the documents a version was applied as when they were ODCS or ODPS (issue 17), one row per
// such version, written in the transaction that publishes it. (8 and 9 are other branches'.)
constexpr std::string_view kVersion10 = R"sql(
CREATE TABLE original_documents (
  product_id BIGINT NOT NULL REFERENCES products(id),
  version TEXT COLLATE "C" NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('odcs', 'odps')),
  documents TEXT NOT NULL,
  PRIMARY KEY (product_id, version)
);
)sql";

// Version 11 (8 to 10 are reserved by other branches): sessions of the web catalog (issue 19), one row
// per signed-in browser, found by the SHA-256 of the cookie's secret; expired rows go at the next sign-in.
constexpr std::string_view kVersion11 = R"sql(
CREATE TABLE catalog_sessions (
  secret_hash TEXT PRIMARY KEY NOT NULL,
  principal TEXT COLLATE "C" NOT NULL REFERENCES principals(name),
  token_id TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX catalog_sessions_by_expiry ON catalog_sessions(expires_at);
)sql";

// Version 12: the similarity index (issue 18), as SQLite's version 12 (sqlite_schema.cpp): each product's
// entry as text, its band hashes keyed by (band, hash), its location hashes by hash. (It was 9 on its branch;
// 9 stays unused.)
constexpr std::string_view kVersion12 = R"sql(
CREATE TABLE similarity_entries (
  product_id BIGINT PRIMARY KEY REFERENCES products(id),
  entry TEXT NOT NULL
);
CREATE TABLE similarity_bands (
  band INTEGER NOT NULL,
  hash BIGINT NOT NULL,
  product_id BIGINT NOT NULL REFERENCES products(id),
  PRIMARY KEY (band, hash, product_id)
);
CREATE TABLE similarity_locations (
  hash BIGINT NOT NULL,
  product_id BIGINT NOT NULL REFERENCES products(id),
  PRIMARY KEY (hash, product_id)
);
)sql";

// Version 13: the history of each port's data changes (issue 19),
// one row per reported updated_at, that the SLO's days over the last 30 are judged from. Bounded: each
// report drops its port's changes older than 30 days but the newest of them. Starts with the latest
// change of every port.
constexpr std::string_view kVersion13 = R"sql(
CREATE TABLE freshness_history (
  domain TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  port TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  reported_at TEXT NOT NULL,
  reported_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (domain, name, port, updated_at)
);
INSERT INTO freshness_history (domain, name, port, updated_at, reported_at, reported_by)
  SELECT domain, name, port, updated_at, reported_at, reported_by FROM freshness;
)sql";

// Version 14: products by status and by owner team, so search reads the ids a filter (and "not retired")
// selects through an index instead of every product row.
constexpr std::string_view kVersion14 = R"sql(
CREATE INDEX products_by_status ON products(status);
CREATE INDEX products_by_owner ON products(owner_team);
)sql";

constexpr Migration kMigrations[] = {
    {1, kVersion1},
    {2, kVersion2},
    {3, kVersion3},
    {4, kVersion4},
    {5, kVersion5},
    {6, kVersion6},
    {7, kVersion7, postgres_search::index_every_product},
    {8, kVersion8},
    {10, kVersion10},
    {11, kVersion11},
    {12, kVersion12, postgres_similarity::index_every_product},
    {13, kVersion13},
    {14, kVersion14},
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

}  // namespace postgres_schema

int postgres_schema_version() {
  return postgres_schema::migrations().back().version;
}

}  // namespace meshctl::registry
