// Duplicate detection's definitions (catalog/similarity.h): the name normaliser, what of a product is
// compared, the score against values worked out by hand, and the MinHash/LSH index entry against the
// probabilities its header promises, measured over many constructed pairs of exactly known Jaccard similarity.

#include "meshctl/catalog/similarity.h"

#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "meshctl/manifest/model.h"

namespace meshctl::registry {
namespace {

using Names = std::vector<std::string>;

manifest::Field field(const std::string& name, const std::string& type = "string", const std::string& term = "") {
  manifest::Field result;
  result.name = name;
  if (!type.empty()) result.type = type;
  if (!term.empty()) result.term = term;
  return result;
}

manifest::OutputPort port(std::vector<manifest::Field> fields, const std::string& location = "") {
  manifest::OutputPort result;
  result.name = "table";
  if (!location.empty()) result.location = location;
  result.schema = manifest::Schema{};
  result.schema->fields = std::move(fields);
  return result;
}

manifest::DataProduct product(std::vector<manifest::OutputPort> ports) {
  manifest::DataProduct result;
  result.metadata.domain = "sales";
  result.metadata.name = "orders";
  result.metadata.version = "1.0.0";
  result.spec.output_ports = std::move(ports);
  return result;
}

SchemaFingerprint fingerprint(std::vector<manifest::Field> fields, const std::string& location = "") {
  return schema_fingerprint(product({port(std::move(fields), location)}), NameNormalizer());
}

// Fields named f<first>..f<first+count-1> (a set of `count` distinct names).
std::vector<manifest::Field> numbered(int first, int count, const std::string& prefix = "f") {
  std::vector<manifest::Field> fields;
  for (int i = first; i < first + count; ++i) fields.push_back(field(fmt::format("{}{}", prefix, i)));
  return fields;
}

std::size_t shared_bands(const SimilarityEntry& a, const SimilarityEntry& b) {
  std::size_t shared = 0;
  for (std::size_t band = 0; band < a.bands.size() && band < b.bands.size(); ++band) {
    if (a.bands[band] == b.bands[band]) ++shared;
  }
  return shared;
}

// Over `pairs` pairs of field sets with `size` fields each of which `common` are shared (Jaccard
// common / (2 size - common), exactly), each pair with names of its own: the fraction of bands two entries
// share (expected: s^rows), and the fraction of pairs sharing at least one band (expected:
// 1 - (1 - s^rows)^bands, what makes a pair a candidate).
struct BandStatistics {
  double jaccard = 0;
  double band_fraction = 0;
  double candidate_fraction = 0;
};

BandStatistics band_statistics(int size, int common, int pairs) {
  std::size_t bands = 0;
  std::size_t candidates = 0;
  for (int pair = 0; pair < pairs; ++pair) {
    const auto prefix = fmt::format("p{}_", pair);
    const auto a = fingerprint(numbered(0, size, prefix)).entry();
    const auto b = fingerprint(numbered(size - common, size, prefix)).entry();
    const auto shared = shared_bands(a, b);
    bands += shared;
    if (shared > 0) ++candidates;
  }
  return {static_cast<double>(common) / static_cast<double>(2 * size - common),
          static_cast<double>(bands) / static_cast<double>(pairs * kSimilarityBands),
          static_cast<double>(candidates) / static_cast<double>(pairs)};
}

TEST_CASE("names compare normalised: case, separators and camelCase do not count", "[similarity]") {
  const NameNormalizer normalize;
  CHECK(normalize("customer_email") == "customer_email");
  CHECK(normalize("customerEmail") == "customer_email");
  CHECK(normalize("Customer-Email") == "customer_email");
  CHECK(normalize("customer email") == "customer_email");
  CHECK(normalize("CUSTOMER.EMAIL") == "customer_email");
  CHECK(normalize("__customer__email__") == "customer_email");
  CHECK(normalize("orderID2") == "order_id2");
  CHECK(normalize("customer_emails") == "customer_emails");  // no stemming: a different word
  CHECK(normalize("").empty());
  CHECK(normalize("-- __ ..").empty());
}

TEST_CASE("a synonym's normalised name becomes its term's", "[similarity]") {
  const NameNormalizer normalize(Synonyms{{"buyer-email", "customer-email"}, {"---", "ignored"}});
  CHECK(normalize("buyerEmail") == "customer_email");
  CHECK(normalize("Buyer_Email") == "customer_email");
  CHECK(normalize("customer_email") == "customer_email");
  CHECK(normalize("buyer") == "buyer");
}

TermRecord glossary_term(const std::string& name, std::vector<std::string> synonyms) {
  TermRecord record;
  record.term.name = name;
  record.term.synonyms = std::move(synonyms);
  return record;
}

TEST_CASE("the glossary's synonyms: a term's own name is never another's synonym; the first claim wins",
          "[similarity]") {
  const std::vector<TermRecord> terms = {
      glossary_term("buyer-email", {}), glossary_term("customer-email", {"buyer_email", "contact-email", "mail"}),
      glossary_term("customer-id", {"client-id"}), glossary_term("email-address", {"mail", "contact-email"})};
  const auto synonyms = glossary_synonyms(terms);
  CHECK(synonyms.at("client-id") == "customer-id");
  CHECK(synonyms.at("mail") == "customer-email");  // customer-email comes first by name
  const NameNormalizer normalize(synonyms);
  CHECK(normalize("clientId") == "customer_id");
  CHECK(normalize("CONTACT_EMAIL") == "customer_email");
  CHECK(normalize("mail") == "customer_email");
  CHECK(normalize("buyer_email") == "buyer_email");  // a term of its own, whatever customer-email says
  CHECK(normalize("email_address") == "email_address");
  CHECK(NameNormalizer(glossary_synonyms({})).differences(NameNormalizer()).empty());
}

TEST_CASE("differences: the names two normalisers map differently", "[similarity]") {
  const NameNormalizer none;
  const NameNormalizer before(Synonyms{{"buyer-email", "customer-email"}, {"client-id", "customer-id"}});
  const NameNormalizer after(
      Synonyms{{"buyer-email", "customer-email"}, {"client-id", "account-id"}, {"mail", "customer-email"}});
  CHECK(before.differences(before).empty());
  CHECK(before.differences(after) == Names{"client_id", "mail"});
  CHECK(after.differences(before) == Names{"client_id", "mail"});
  CHECK(none.differences(before) == Names{"buyer_email", "client_id"});
}

TEST_CASE("locations compare without surrounding space, trailing slashes or the scheme's case", "[similarity]") {
  CHECK(normalize_location("  S3://sales/orders/// ") == "s3://sales/orders");
  CHECK(normalize_location("s3://Sales/Orders") == "s3://Sales/Orders");  // a path's case is the store's business
  CHECK(normalize_location("/data/orders/") == "/data/orders");
  CHECK(normalize_location("/") == "/");
  CHECK(normalize_location(" \t ").empty());
  CHECK(normalize_location("").empty());
}

TEST_CASE("a fingerprint holds every port's fields, nested ones by path, first port first", "[similarity]") {
  auto address = field("Address", "object");
  address.fields = {field("city"), field("postCode", "")};
  auto tags = field("tags", "ARRAY");
  tags.items = "String";
  manifest::Field unnamed;
  unnamed.type = "string";
  const auto second_port = port({field("order_id", "integer"), field("amount", "decimal")}, "s3://sales/b/");
  const auto fingerprinted = schema_fingerprint(
      product({port({field("orderId", "String", "Order-Key"), address, tags, unnamed, field("--")}, "S3://sales/a/"),
               second_port, port({}, "s3://sales/a")}),
      NameNormalizer());

  Names keys;
  for (const auto& compared : fingerprinted.fields) keys.push_back(compared.key);
  CHECK(keys == Names{"address", "address.city", "address.post_code", "amount", "order_id", "tags"});
  const auto& order_id = fingerprinted.fields[4];
  CHECK(order_id.name == "orderId");  // the first port's field wins
  CHECK(order_id.type == "string");
  CHECK(order_id.term == "order_key");
  CHECK(fingerprinted.fields[1].name == "Address.city");
  CHECK(fingerprinted.fields[2].type.empty());
  CHECK(fingerprinted.fields[5].type == "array<string>");
  CHECK(fingerprinted.locations == Names{"s3://sales/a", "s3://sales/b"});

  const auto entry = fingerprinted.entry();
  CHECK(entry.bands.size() == kSimilarityBands);
  CHECK(entry.locations.size() == 2);
  CHECK(entry.locations[0] < entry.locations[1]);
}

TEST_CASE("compare_schemas: a weighted Jaccard similarity of the fields, worked out by hand", "[similarity]") {
  const auto abcd = fingerprint({field("a"), field("b"), field("c"), field("d")});

  SECTION("the same fields, types and terms: 1; order and the names' spelling do not count") {
    const auto same = compare_schemas(abcd, fingerprint({field("D"), field("c"), field("B"), field("a")}));
    CHECK(same.score == 1.0);
    CHECK(same.shared_fields == Names{"a", "b", "c", "d"});
    CHECK(same.different_types.empty());
  }

  SECTION("3 pairs of 5 distinct fields: 0.6, the same either way round") {
    const auto abce = fingerprint({field("a"), field("b"), field("c"), field("e")});
    CHECK(compare_schemas(abcd, abce).score == Approx(3.0 / 5.0));
    CHECK(compare_schemas(abce, abcd).score == Approx(3.0 / 5.0));
    CHECK(compare_schemas(abcd, abce).shared_fields == Names{"a", "b", "c"});
  }

  SECTION("a subset: pairs over the larger side's fields") {
    const auto ab = fingerprint({field("a"), field("b")});
    CHECK(compare_schemas(ab, abcd).score == Approx(2.0 / 4.0));
  }

  SECTION("a pair whose types differ weighs 0.75; a type given on one side only counts as equal") {
    const auto other = fingerprint({field("a"), field("b", "integer"), field("c", ""), field("d")});
    const auto compared = compare_schemas(abcd, other);
    CHECK(compared.score == Approx((3.0 + 0.75) / 4.0));
    CHECK(compared.different_types == Names{"b"});
  }

  SECTION("fields of other names bound to the same term pair; different terms on one key weigh 0.5") {
    const auto mine = fingerprint({field("buyer_email", "string", "customer-email"), field("id")});
    const auto theirs = fingerprint({field("contact", "string", "Customer_Email"), field("id")});
    const auto by_term = compare_schemas(mine, theirs);
    CHECK(by_term.score == 1.0);
    CHECK(by_term.shared_fields == Names{"buyer_email", "id"});

    const auto other_term = fingerprint({field("buyer_email", "string", "supplier-email"), field("id")});
    CHECK(compare_schemas(mine, other_term).score == Approx((0.5 + 1.0) / 2.0));
    const auto both = fingerprint({field("buyer_email", "integer", "supplier-email"), field("id")});
    CHECK(compare_schemas(mine, both).score == Approx((0.25 + 1.0) / 2.0));
  }

  SECTION("no field on either side: 0, but a shared location is still reported") {
    const auto located = fingerprint({field("a")}, "s3://sales/orders/");
    const auto empty = fingerprint({}, "S3://sales/orders");
    const auto compared = compare_schemas(empty, located);
    CHECK(compared.score == 0.0);
    CHECK(compared.shared_fields.empty());
    CHECK(compared.same_locations == Names{"s3://sales/orders"});
    CHECK(compare_schemas(located, empty).score == 0.0);
  }
}

TEST_CASE("the MinHash entry is stable: the same fields give the same bands whatever their order", "[similarity]") {
  // FNV-1a 64 of "" and of "a": the published test values; the index keeps these hashes, so they never change.
  CHECK(stable_hash("") == 0xcbf29ce484222325ULL);
  CHECK(stable_hash("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(stable_hash("foobar") == 0x85944171f73967e8ULL);

  const auto one = fingerprint({field("order_id"), field("amount"), field("currency")}).entry();
  const auto two = fingerprint({field("Currency"), field("orderId"), field("AMOUNT", "decimal")}).entry();
  CHECK(one == two);  // keys only: neither names as written nor types change the signature
  CHECK(one.bands.size() == kSimilarityBands);
  CHECK(one.locations.empty());
  const auto three = fingerprint({field("order_id"), field("amount")}).entry();
  CHECK(one.bands != three.bands);
  CHECK(fingerprint({}).entry().bands.empty());
  CHECK(fingerprint({}).entry().empty());
  CHECK_FALSE(fingerprint({}, "s3://x").entry().empty());
}

TEST_CASE("the share of equal bands estimates Jaccard^4, and candidates follow 1 - (1 - s^4)^32", "[similarity]") {
  // 300 pairs x 32 bands per similarity: the hashes are deterministic, so these are fixed numbers, checked
  // with room for sampling error (a few standard deviations) around what the header promises.
  constexpr int kPairs = 300;
  const auto expected_candidates = [](double s) {
    return 1.0 - std::pow(1.0 - std::pow(s, kSimilarityRows), static_cast<double>(kSimilarityBands));
  };
  struct Case {
    int size;
    int common;
  };
  for (const auto& [size, common] : {Case{9, 8}, Case{12, 10}, Case{6, 4}, Case{10, 5}, Case{12, 4}}) {
    const auto measured = band_statistics(size, common, kPairs);
    INFO("size " << size << ", common " << common << ": Jaccard " << measured.jaccard);
    const double expected_bands = std::pow(measured.jaccard, kSimilarityRows);
    CHECK(measured.band_fraction == Approx(expected_bands).margin(0.03));
    // The Jaccard estimate from the bands: within 0.05 of the exact value.
    CHECK(std::pow(measured.band_fraction, 1.0 / kSimilarityRows) == Approx(measured.jaccard).margin(0.05));
    CHECK(measured.candidate_fraction == Approx(expected_candidates(measured.jaccard)).margin(0.08));
  }
  // The header's figures: at 0.7 practically every pair is a candidate, at 0.23 few are.
  CHECK(band_statistics(12, 10, kPairs).candidate_fraction >= 0.99);  // Jaccard 0.714
  CHECK(band_statistics(12, 4, kPairs).candidate_fraction <= 0.12);   // Jaccard 0.2
  // Disjoint sets share no band (beyond a 64-bit collision).
  std::size_t disjoint = 0;
  for (int pair = 0; pair < kPairs; ++pair) {
    disjoint += shared_bands(fingerprint(numbered(0, 8, fmt::format("a{}_", pair))).entry(),
                             fingerprint(numbered(0, 8, fmt::format("b{}_", pair))).entry());
  }
  CHECK(disjoint == 0);
}

TEST_CASE("an entry survives its text form; other text reads as far as it is numbers", "[similarity]") {
  const auto entry = fingerprint({field("a"), field("b")}, "s3://x").entry();
  const auto text = entry_text(entry);
  CHECK(entry_from_text(text) == entry);
  CHECK(entry_from_text(entry_text({})) == SimilarityEntry{});
  CHECK(entry_from_text("-1 2 |3 ") == SimilarityEntry{{-1, 2}, {3}});
  CHECK(entry_from_text("9223372036854775807 -9223372036854775808 |") ==
        SimilarityEntry{{9223372036854775807LL, -9223372036854775807LL - 1}, {}});
  CHECK(entry_from_text("1 2 x 3") == SimilarityEntry{{1, 2}, {}});
  CHECK(entry_from_text("") == SimilarityEntry{});
}

TEST_CASE("entry_of_manifest reads canonical JSON; anything else gives an empty entry", "[similarity]") {
  const auto manifest = product({port({field("a"), field("b")}, "s3://x/")});
  const auto canonical = manifest::canonical_text(manifest);
  const NameNormalizer plain;
  CHECK(entry_of_manifest(canonical, plain) == schema_fingerprint(manifest, plain).entry());
  const NameNormalizer synonyms(Synonyms{{"a", "b"}});
  CHECK(entry_of_manifest(canonical, synonyms) == schema_fingerprint(manifest, synonyms).entry());
  CHECK(entry_of_manifest(canonical, synonyms) != entry_of_manifest(canonical, plain));
  CHECK(entry_of_manifest("not json", plain).empty());
  CHECK(entry_of_manifest("{\"kind\": 3}", plain).empty());
  CHECK(entry_of_manifest("", plain).empty());
}

}  // namespace
}  // namespace meshctl::registry
