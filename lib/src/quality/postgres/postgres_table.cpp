#include "meshctl/quality/postgres/postgres_table.h"

#include <optional>

#include <fmt/format.h>
#include <pqxx/pqxx>

#include "meshctl/core/sql_text.h"

namespace meshctl::quality {

namespace {

// The first line of a libpq or libpqxx message.
std::string first_line(const char* text) {
  std::string line(text);
  if (const auto end = line.find('\n'); end != std::string::npos) line.erase(end);
  return line;
}

// The type OIDs of PostgreSQL's built-in types whose text is a number or a boolean.
bool is_number_type(pqxx::oid type) {
  switch (type) {
    case 20:    // int8
    case 21:    // int2
    case 23:    // int4
    case 700:   // float4
    case 701:   // float8
    case 1700:  // numeric
      return true;
    default: return false;
  }
}

nlohmann::json cell_of(const pqxx::field& field) {
  if (field.is_null()) return nullptr;
  const std::string text = field.c_str();
  if (field.type() == 16) return text == "t";  // bool
  if (is_number_type(field.type())) {
    if (text.find_first_of(".eEN") == std::string::npos) {
      try {
        return std::stoll(text);
      } catch (const std::exception&) {
      }
    }
    try {
      return std::stod(text);
    } catch (const std::exception&) {
    }
  }
  return text;
}

class PostgresTable final : public SqlTable {
 public:
  PostgresTable(std::unique_ptr<pqxx::connection> db, std::string table)
      : db_(std::move(db)), table_(std::move(table)) {}

  Result<std::vector<SqlColumn>> columns() override {
    try {
      pqxx::read_transaction transaction(*db_);
      const auto found = transaction.exec_params("SELECT to_regclass($1)::text", table_);
      if (found.size() != 1) return std::vector<SqlColumn>{};
      const auto reference = found[0][0];
      if (reference.is_null()) return std::vector<SqlColumn>{};
      reference_ = reference.c_str();
      std::vector<SqlColumn> out;
      for (const auto& row : transaction.exec_params(
               "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass($1) "
               "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
               table_)) {
        out.push_back(SqlColumn{row[0].c_str(), row[1].c_str()});
      }
      return out;
    } catch (const std::exception& failure) {
      return make_error(ErrorKind::unavailable, first_line(failure.what()));
    }
  }

  std::string reference() const override { return reference_; }

  Result<std::vector<std::vector<nlohmann::json>>> query(const std::string& sql, std::size_t limit) override {
    try {
      if (!snapshot_) {
        snapshot_.emplace(*db_);
        snapshot_->exec0("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      }
      std::vector<std::vector<nlohmann::json>> rows;
      for (const auto& row : snapshot_->exec(sql)) {
        if (rows.size() >= limit) break;
        std::vector<nlohmann::json> cells;
        for (const auto& field : row) cells.push_back(cell_of(field));
        rows.push_back(std::move(cells));
      }
      return rows;
    } catch (const std::exception& failure) {
      snapshot_.reset();
      return make_error(ErrorKind::unavailable, first_line(failure.what()));
    }
  }

  Result<nlohmann::json> rule_value(const std::string& query, const std::vector<std::string>& names,
                                    std::int64_t timeout_seconds) override {
    snapshot_.reset();  // the scan is over
    std::vector<std::pair<std::string, std::string>> tables;
    for (const auto& name : names) tables.emplace_back(name, fmt::format("SELECT * FROM {}", reference_));
    try {
      pqxx::read_transaction transaction(*db_);  // BEGIN READ ONLY, rolled back when it goes out of scope
      if (timeout_seconds > 0) transaction.exec(fmt::format("SET LOCAL statement_timeout = {}", timeout_seconds * 1000));
      const auto result = transaction.exec(with_tables(query, tables));
      if (result.empty() || result.columns() == 0) return nlohmann::json(nullptr);
      return cell_of(result[0][0]);
    } catch (const pqxx::broken_connection& failure) {
      return make_error(ErrorKind::unavailable, first_line(failure.what()));
    } catch (const pqxx::sql_error& failure) {
      if (failure.sqlstate() == "57014") {  // query_canceled: statement_timeout
        return make_error(ErrorKind::invalid, rule_timeout_message(timeout_seconds));
      }
      return make_error(ErrorKind::invalid, fmt::format("the query does not run: {}", first_line(failure.what())));
    } catch (const std::exception& failure) {
      return make_error(ErrorKind::invalid, fmt::format("the query does not run: {}", first_line(failure.what())));
    }
  }

 private:
  std::unique_ptr<pqxx::connection> db_;
  std::string table_;
  std::string reference_;
  std::optional<pqxx::read_transaction> snapshot_;
};

}  // namespace

Result<std::unique_ptr<SqlTable>> open_postgres_table(const std::string& uri, const std::string& table) {
  try {
    auto db = std::make_unique<pqxx::connection>(uri);
    return std::unique_ptr<SqlTable>(std::make_unique<PostgresTable>(std::move(db), table));
  } catch (const std::exception& failure) {
    return make_error(ErrorKind::unavailable, first_line(failure.what()));
  }
}

}  // namespace meshctl::quality
