#include "store/sqlite/sqlite_schema.h"

#include "meshctl/store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_search.h"
#include "store/sqlite/sqlite_similarity.h"

namespace meshctl::registry {
namespace sqlite_schema {
namespace {

// Version 1: domains, products, versions, dependency edges, audit log.
// products(domain, name) is UNIQUE, which is also the index for "list by
// domain" in (domain, name) order; dependencies_by_provider serves "who reads
// this product".
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE domains (
  name TEXT PRIMARY KEY NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  domain TEXT NOT NULL REFERENCES domains(name),
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'deprecated', 'retired')),
  revision INTEGER NOT NULL,
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
  product_id INTEGER NOT NULL REFERENCES products(id),
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
  product_id INTEGER NOT NULL REFERENCES products(id),
  ordinal INTEGER NOT NULL,
  port TEXT NOT NULL,
  provider_domain TEXT NOT NULL,
  provider_name TEXT NOT NULL,
  version_constraint TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (product_id, ordinal)
);
CREATE INDEX dependencies_by_provider ON dependencies(provider_domain, provider_name);
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  domain TEXT NOT NULL,
  name TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_by_product ON audit_events(domain, name, id);
)sql";

// Version 2: product labels, for `get products --label k=v`. Existing products
// get the labels of their latest version's manifest.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE product_labels (
  product_id INTEGER NOT NULL REFERENCES products(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (product_id, key)
);
CREATE INDEX product_labels_by_pair ON product_labels(key, value);
INSERT INTO product_labels (product_id, key, value)
  SELECT p.id, label.key, label.value
  FROM products p
  JOIN versions v ON v.product_id = p.id AND v.version = p.latest_version,
       json_each(v.manifest, '$.metadata.labels') AS label;
)sql";

// Version 3: tenancy. A domain's owner team (empty for domains created on
// first use by the embedded registry), and the principals of a server: one
// named token each, found by its public token id, its secret kept only as a
// SHA-256. An owner's domains are rows of principal_domains. Principals are
// revoked, never deleted, so a name is never reused.
constexpr std::string_view kVersion3 = R"sql(
ALTER TABLE domains ADD COLUMN owner_team TEXT NOT NULL DEFAULT '';
CREATE TABLE principals (
  name TEXT PRIMARY KEY NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'owner', 'reader')),
  token_id TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE principal_domains (
  principal TEXT NOT NULL REFERENCES principals(name),
  domain TEXT NOT NULL REFERENCES domains(name),
  PRIMARY KEY (principal, domain)
);
)sql";

// Version 4: usage. Products are named by text, so ingest writes
// without joins; usage_event_ids makes ingest idempotent; usage_days holds
// one row per (product, day, consumer, port, version).
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE subscriptions (
  domain TEXT NOT NULL,
  name TEXT NOT NULL,
  consumer TEXT NOT NULL,
  port TEXT NOT NULL DEFAULT '',
  team TEXT NOT NULL,
  version_constraint TEXT NOT NULL DEFAULT '',
  purpose TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (domain, name, consumer, port)
);
CREATE TABLE usage_event_ids (
  id TEXT PRIMARY KEY NOT NULL
);
CREATE TABLE usage_days (
  domain TEXT NOT NULL,
  name TEXT NOT NULL,
  day TEXT NOT NULL,
  consumer TEXT NOT NULL,
  port TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  event_count INTEGER NOT NULL,
  row_count INTEGER NOT NULL,
  byte_count INTEGER NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (domain, name, day, consumer, port, version)
);
CREATE TABLE freshness (
  domain TEXT NOT NULL,
  name TEXT NOT NULL,
  port TEXT NOT NULL,
  updated_at TEXT NOT NULL,
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
CREATE INDEX audit_events_by_time ON audit_events(time, id);
)sql";

// Version 6: quality runs (issue 16). `meshctl test --publish` records one row per tested output port
// of a published version: who, when, the count of checks per status, and every check's result as a JSON
// array (checks). Read newest first per product, and per version and port (describe's latest runs).
constexpr std::string_view kVersion6 = R"sql(
CREATE TABLE quality_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  domain TEXT NOT NULL,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  port TEXT NOT NULL,
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

// Version 7: full-text search (issue 18). product_search, an FTS5 table with one row per product (rowid =
// products.id) holding the words of its latest version in three columns (names, schema, text:
// catalog/search.h), tokenized as they are written (words of letters and digits, diacritics kept, as
// PostgreSQL's 'simple' configuration reads them); product_facets, what the filters of search and `get
// products` select on (tag, field, term, pii). Existing products are indexed from their latest manifest.
constexpr std::string_view kVersion7 = R"sql(
CREATE VIRTUAL TABLE product_search USING fts5(names, schema, text, tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE product_facets (
  product_id INTEGER NOT NULL REFERENCES products(id),
  kind TEXT NOT NULL CHECK (kind IN ('tag', 'field', 'term', 'pii')),
  value TEXT NOT NULL,
  PRIMARY KEY (product_id, kind, value)
);
CREATE INDEX product_facets_by_value ON product_facets(kind, value, product_id);
)sql";

// Version 8: the business glossary (issue 18). A glossary (`kind: Glossary`) is versioned like a product:
// one row per glossary (its latest version, revision, owner), one per published version (its canonical
// JSON); glossary_terms holds the terms of each glossary's latest version, one row per term, its name
// unique across the mesh (a field's `term:` names it), its JSON as the glossary has it.
constexpr std::string_view kVersion8 = R"sql(
CREATE TABLE glossaries (
  domain TEXT NOT NULL,
  name TEXT NOT NULL,
  latest_version TEXT NOT NULL,
  revision INTEGER NOT NULL,
  owner_team TEXT NOT NULL,
  owner_email TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (domain, name)
);
CREATE TABLE glossary_versions (
  domain TEXT NOT NULL,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  document TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  published_at TEXT NOT NULL,
  published_by TEXT NOT NULL,
  PRIMARY KEY (domain, name, version)
);
CREATE TABLE glossary_terms (
  name TEXT PRIMARY KEY NOT NULL,
  domain TEXT NOT NULL,
  glossary TEXT NOT NULL,
  version TEXT NOT NULL,
  status TEXT NOT NULL,
  document TEXT NOT NULL
);
CREATE INDEX glossary_terms_by_glossary ON glossary_terms(domain, glossary);
)sql";

// Version 10: the documents a version was applied as when they were ODCS or ODPS (issue 17), one row per
// such version, written in the transaction that publishes it: `get manifest --format odcs|odps` gives
// them back as they were. (8 and 9 are other branches'.)
constexpr std::string_view kVersion10 = R"sql(
CREATE TABLE original_documents (
  product_id INTEGER NOT NULL REFERENCES products(id),
  version TEXT NOT NULL,
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
  principal TEXT NOT NULL REFERENCES principals(name),
  token_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX catalog_sessions_by_expiry ON catalog_sessions(expires_at);
)sql";

// Version 12: the similarity index (issue 18, catalog/similarity.h). similarity_entries keeps each product's
// entry (its latest version's MinHash band hashes and output-location hashes, as text: what replacing it
// deletes); similarity_bands and similarity_locations hold the same hashes as rows keyed for the look-up of
// `meshctl similar` and MESH-DUPLICATE. Retired products have no entry. Existing products are indexed from
// their latest manifest. (It was 9 on its branch; a registry at 10 or 11 would never have run a 9, so 9 stays
// unused.)
constexpr std::string_view kVersion12 = R"sql(
CREATE TABLE similarity_entries (
  product_id INTEGER PRIMARY KEY REFERENCES products(id),
  entry TEXT NOT NULL
);
CREATE TABLE similarity_bands (
  band INTEGER NOT NULL,
  hash INTEGER NOT NULL,
  product_id INTEGER NOT NULL REFERENCES products(id),
  PRIMARY KEY (band, hash, product_id)
);
CREATE TABLE similarity_locations (
  hash INTEGER NOT NULL,
  product_id INTEGER NOT NULL REFERENCES products(id),
  PRIMARY KEY (hash, product_id)
);
)sql";

// Version 13: the history of each port's data changes (issue 19),
// one row per reported updated_at, that the SLO's days over the last 30 are judged from. Bounded: each
// report drops its port's changes older than 30 days but the newest of them. Starts with the latest
// change of every port.
constexpr std::string_view kVersion13 = R"sql(
CREATE TABLE freshness_history (
  domain TEXT NOT NULL,
  name TEXT NOT NULL,
  port TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  reported_at TEXT NOT NULL,
  reported_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (domain, name, port, updated_at)
);
INSERT INTO freshness_history (domain, name, port, updated_at, reported_at, reported_by)
  SELECT domain, name, port, updated_at, reported_at, reported_by FROM freshness;
)sql";

// Version 14: search by levels (catalog/search.h, kSearchLevels). product_names, an FTS5 table of the names
// column of product_search alone (rowid = products.id; no column sizes: nothing ranks by length), so the
// first level reads only the products that have a word in their names, not every product that has it
// anywhere; products by status and by owner team, so a search reads the ids a filter (and "not retired")
// selects through an index instead of every product row.
constexpr std::string_view kVersion14 = R"sql(
CREATE VIRTUAL TABLE product_names USING fts5(names, tokenize = 'unicode61 remove_diacritics 0', columnsize = 0);
INSERT INTO product_names (rowid, names) SELECT rowid, names FROM product_search;
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
    {7, kVersion7, sqlite_search::backfill_version_7},
    {8, kVersion8},
    {10, kVersion10},
    {11, kVersion11},
    {12, kVersion12, sqlite_similarity::index_every_product},
    {13, kVersion13},
    {14, kVersion14},
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

}  // namespace sqlite_schema

int sqlite_schema_version() {
  return sqlite_schema::migrations().back().version;
}

}  // namespace meshctl::registry
