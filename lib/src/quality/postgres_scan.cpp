// PostgreSQL sources: the table read by the network areas (libpq stays out of meshctl), the checks
// in PostgreSQL's own SQL. A column of a type PostgreSQL checks itself (integer, numeric, date, timestamp,
// boolean) needs no check of its values beyond what the field's type narrows (an `integer` field in a
// bigint column); text columns holding other types are checked with regular expressions, calendar days
// included, and casts only inside CASE branches whose pattern already matched (a cast error would end
// the scan).
#include <algorithm>

#include <fmt/format.h>

#include "meshctl/network/module.h"
#include "quality/engines.h"
#include "quality/sql_scan.h"

namespace meshctl::quality {

namespace {

enum class Category { integer, numeric, floating, boolean, date, timestamp, text, bytes, json, array, other };

Category category_of(std::string_view type) {
  if (type.ends_with("[]")) return Category::array;
  if (type == "smallint" || type == "integer" || type == "bigint") return Category::integer;
  if (type.starts_with("numeric")) return Category::numeric;
  if (type == "real" || type == "double precision") return Category::floating;
  if (type == "boolean") return Category::boolean;
  if (type == "date") return Category::date;
  if (type.starts_with("timestamp")) return Category::timestamp;
  if (type == "text" || type.starts_with("character") || type == "name" || type == "citext" || type == "uuid") {
    return Category::text;
  }
  if (type == "bytea") return Category::bytes;
  if (type == "json" || type == "jsonb") return Category::json;
  return Category::other;
}

constexpr const char* kDay = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])";

// The day of a text matching kDay (at its start) does not exist (2026-02-30).
std::string impossible_day(const std::string& column) {
  return fmt::format(
      "substr({0}, 1, 4) = '0000' OR substr({0}, 9, 2)::int > EXTRACT(DAY FROM make_date(substr({0}, 1, 4)::int, "
      "substr({0}, 6, 2)::int, 1) + interval '1 month - 1 day')",
      column);
}

// Text values (not empty) that are not of `type`, as values.cpp judges them.
std::string text_not_of(std::string_view type, const std::string& column) {
  const std::string decimal = R"(^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$)";
  const std::string floating = R"(^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$)";
  if (type == "integer") {
    return fmt::format("CASE WHEN {0} ~ '^[+-]?[0-9]{{1,18}}$' THEN {0}::bigint NOT BETWEEN -2147483648 AND "
                       "2147483647 ELSE TRUE END",
                       column);
  }
  if (type == "long") {
    return fmt::format("CASE WHEN {0} ~ '^[+-]?[0-9]{{1,30}}$' THEN {0}::numeric NOT BETWEEN "
                       "-9223372036854775808 AND 9223372036854775807 ELSE TRUE END",
                       column);
  }
  if (type == "decimal") return fmt::format("{} !~ {}", column, quote_literal(decimal));
  if (type == "float" || type == "double") return fmt::format("{} !~ {}", column, quote_literal(floating));
  if (type == "boolean") return fmt::format("lower({}) NOT IN ('true', 'false')", column);
  if (type == "date") {
    return fmt::format("CASE WHEN {0} ~ '^{1}$' THEN {2} ELSE TRUE END", column, kDay, impossible_day(column));
  }
  if (type == "timestamp") {
    return fmt::format(
        "CASE WHEN {0} ~ '^{1}[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?([Zz]|[+-][0-9]{{2}}:[0-9]{{2}})?$' "
        "THEN {2} ELSE TRUE END",
        column, kDay, impossible_day(column));
  }
  if (type == "array") return fmt::format("{} !~ '^\\s*\\['", column);
  if (type == "object") return fmt::format("{} !~ '^\\s*\\{{'", column);
  return "FALSE";
}

bool all_numbers(const std::vector<manifest::Scalar>& values) {
  return std::all_of(values.begin(), values.end(), [](const manifest::Scalar& value) {
    return std::holds_alternative<std::int64_t>(value) || std::holds_alternative<double>(value);
  });
}

class PostgresDialect final : public SqlDialect {
 public:
  bool same_name(std::string_view column, std::string_view field) const override { return column == field; }

  std::optional<std::string> incompatible(const SqlColumn& column, std::string_view type) const override {
    const auto category = category_of(column.type);
    if (category == Category::other) return std::nullopt;  // a type meshctl does not know: its values decide
    auto one_of = [&](std::initializer_list<Category> categories) {
      return std::find(categories.begin(), categories.end(), category) != categories.end();
    };
    bool fits = true;
    if (type == "string") {
      fits = one_of({Category::text});
    } else if (type == "integer" || type == "long") {
      fits = one_of({Category::integer, Category::numeric, Category::text});
    } else if (type == "float" || type == "double") {
      fits = one_of({Category::floating, Category::numeric, Category::integer, Category::text});
    } else if (type == "decimal") {
      fits = one_of({Category::numeric, Category::integer, Category::floating, Category::text});
    } else if (type == "boolean") {
      fits = one_of({Category::boolean, Category::text});
    } else if (type == "date") {
      fits = one_of({Category::date, Category::text});
    } else if (type == "timestamp") {
      fits = one_of({Category::timestamp, Category::text});
    } else if (type == "bytes") {
      fits = one_of({Category::bytes, Category::text});
    } else if (type == "array") {
      fits = one_of({Category::array, Category::json, Category::text});
    } else if (type == "object") {
      fits = one_of({Category::json, Category::text});
    }
    if (fits) return std::nullopt;
    return fmt::format("of type {}", column.type);
  }

  std::string failing_condition(const PlannedCheck& check, const SqlColumn& column,
                                const std::string& quoted) const override {
    const auto* rule = check.rule_def;
    const auto category = category_of(column.type);
    switch (check.kind) {
      case CheckKind::type: {
        const auto& type = *check.field_def->type;
        if (category == Category::text) return fmt::format("{0} <> '' AND ({1})", quoted, text_not_of(type, quoted));
        if ((type == "integer" || type == "long") && (category == Category::integer || category == Category::numeric)) {
          const auto bounds = type == "integer" ? "-2147483648 AND 2147483647"
                                                : "-9223372036854775808 AND 9223372036854775807";
          return category == Category::numeric
                     ? fmt::format("{0} <> trunc({0}) OR {0} NOT BETWEEN {1}", quoted, bounds)
                     : fmt::format("{} NOT BETWEEN {}", quoted, bounds);
        }
        return "FALSE";  // PostgreSQL holds the column to its type; an unsuitable type fails as a whole
      }
      case CheckKind::required: return fmt::format("{0} IS NULL OR {0}::text = ''", quoted);
      case CheckKind::not_null: return fmt::format("{} IS NULL", quoted);
      case CheckKind::allowed: {
        const auto& values = rule ? rule->values : check.field_def->enum_values;
        std::vector<std::string> literals;
        const bool numeric = all_numbers(values) && (category == Category::integer || category == Category::numeric ||
                                                     category == Category::floating);
        for (const auto& value : values) {
          literals.push_back(numeric ? scalar_text(value) : quote_literal(scalar_text(value)));
        }
        return fmt::format("{0} IS NOT NULL AND {0}{1} NOT IN ({2})", quoted, numeric ? "" : "::text",
                           fmt::join(literals, ", "));
      }
      case CheckKind::range: {
        std::string number;
        if (category == Category::integer || category == Category::numeric || category == Category::floating) {
          number = quoted;
        } else if (category == Category::text) {
          number = fmt::format(
              "(CASE WHEN {0} ~ '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$' THEN {0}::double precision "
              "END)",
              quoted);
        } else {
          return "FALSE";
        }
        std::vector<std::string> parts;
        if (rule->min) parts.push_back(fmt::format("{} < {}", number, number_text(*rule->min)));
        if (rule->max) parts.push_back(fmt::format("{} > {}", number, number_text(*rule->max)));
        return fmt::format("{}", fmt::join(parts, " OR "));
      }
      case CheckKind::pattern:
        return fmt::format("{0} IS NOT NULL AND {0}::text !~ {1}", quoted, quote_literal(*rule->pattern));
      default: return "";
    }
  }

  std::string repeats_expression(const SqlColumn& column, const std::string& quoted) const override {
    // json has no equality: its text is compared.
    const auto value = category_of(column.type) == Category::json ? quoted + "::text" : quoted;
    return fmt::format("COUNT({0}) - COUNT(DISTINCT {0})", value);
  }

  std::string newest_expression(const SqlColumn& column, const std::string& quoted) const override {
    const auto category = category_of(column.type);
    if (category == Category::date || category == Category::timestamp) {
      return fmt::format("floor(MAX(EXTRACT(EPOCH FROM {})))::bigint", quoted);
    }
    // Text: the greatest value, which is the newest when every value is ISO 8601 in one zone.
    return fmt::format("MAX({}::text)", quoted);
  }

  std::string nested_value(std::size_t, const std::string&) const override { return ""; }

  std::string columns_query(const Source& source) const override {
    return fmt::format(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass({}) AND "
        "attnum > 0 AND NOT attisdropped ORDER BY attnum",
        quote_literal(source.table));
  }
};

}  // namespace

Result<PortOutcome> scan_postgres(const PortPlan& plan, const Source& source, const TestOptions& options) {
  auto module = network::load_module();
  if (!module) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("cannot read the source {}: PostgreSQL needs meshctl-network: {}", source.display,
                                  module.error().message));
  }
  auto table = (*module)->open_postgres_table(source.target, source.table);
  if (!table) return source_unreachable(source, table.error().message);
  auto columns = (*table)->columns();
  if (!columns) return source_unreachable(source, columns.error().message);
  if (columns->empty()) return source_unreachable(source, fmt::format("the database has no table '{}'", source.table));
  const PostgresDialect dialect;
  return scan_sql_table(plan, source, options, **table, *columns, dialect);
}

}  // namespace meshctl::quality
