#include "quality/sql_rule.h"

#include <charconv>
#include <chrono>
#include <optional>
#include <cstring>

#include <fmt/format.h>
#include <re2/re2.h>

#include "meshctl/core/text.h"
#include "meshctl/quality/sql_table.h"
#include "quality/nested.h"

namespace meshctl::quality {

namespace {

std::string_view text_argument(sqlite3_value* value) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
  if (text == nullptr) return {};
  return {text, static_cast<std::size_t>(sqlite3_value_bytes(value))};
}

void fits_function(sqlite3_context* context, int, sqlite3_value** arguments) {
  const auto type = text_argument(arguments[0]);
  sqlite3_value* value = arguments[1];
  bool fits = true;
  switch (sqlite3_value_type(value)) {
    case SQLITE_NULL: break;
    case SQLITE_INTEGER: {
      const auto number = sqlite3_value_int64(value);
      if (type == "integer") {
        fits = number >= INT32_MIN && number <= INT32_MAX;
      } else if (type == "boolean") {
        fits = number == 0 || number == 1;
      } else {
        fits = type == "long" || type == "float" || type == "double" || type == "decimal" || !is_known_type(type);
      }
      break;
    }
    case SQLITE_FLOAT:
      fits = type == "float" || type == "double" || type == "decimal" || !is_known_type(type);
      break;
    case SQLITE_TEXT: {
      const auto text = text_argument(value);
      fits = text.empty() || text_fits(type, text);  // an empty value is `required`'s to judge
      break;
    }
    default: fits = type == "bytes" || !is_known_type(type); break;  // BLOB
  }
  sqlite3_result_int(context, fits ? 1 : 0);
}

void number_function(sqlite3_context* context, int, sqlite3_value** arguments) {
  sqlite3_value* value = arguments[0];
  switch (sqlite3_value_type(value)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT: sqlite3_result_double(context, sqlite3_value_double(value)); return;
    case SQLITE_TEXT:
      if (auto number = number_of_text(text_argument(value))) {
        sqlite3_result_double(context, *number);
        return;
      }
      break;
    default: break;
  }
  sqlite3_result_null(context);
}

void epoch_function(sqlite3_context* context, int, sqlite3_value** arguments) {
  if (sqlite3_value_type(arguments[0]) == SQLITE_TEXT) {
    if (auto epoch = epoch_of_text(text_argument(arguments[0]))) {
      sqlite3_result_int64(context, *epoch);
      return;
    }
  }
  sqlite3_result_null(context);
}

void search_function(sqlite3_context* context, int, sqlite3_value** arguments) {
  auto* pattern = static_cast<RE2*>(sqlite3_get_auxdata(context, 0));
  if (pattern == nullptr) {
    auto compiled = std::make_unique<RE2>(std::string(text_argument(arguments[0])), RE2::Quiet);
    if (!compiled->ok()) {
      sqlite3_result_error(context, compiled->error().c_str(), -1);
      return;
    }
    pattern = compiled.release();
    sqlite3_set_auxdata(context, 0, pattern, [](void* p) { delete static_cast<RE2*>(p); });
    // SQLite may have deleted it already when it cannot keep it: read it back.
    pattern = static_cast<RE2*>(sqlite3_get_auxdata(context, 0));
    if (pattern == nullptr) {
      RE2 once(std::string(text_argument(arguments[0])), RE2::Quiet);
      sqlite3_result_int(context, RE2::PartialMatch(text_argument(arguments[1]), once) ? 1 : 0);
      return;
    }
  }
  if (sqlite3_value_type(arguments[1]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  sqlite3_result_int(context, RE2::PartialMatch(text_argument(arguments[1]), *pattern) ? 1 : 0);
}

std::vector<manifest::Scalar> scalars_of(std::string_view json_text) {
  std::vector<manifest::Scalar> scalars;
  const auto list = nlohmann::json::parse(json_text, nullptr, false);
  if (!list.is_array()) return scalars;
  for (const auto& item : list) {
    if (item.is_boolean()) {
      scalars.emplace_back(item.get<bool>());
    } else if (item.is_number_integer()) {
      scalars.emplace_back(item.get<std::int64_t>());
    } else if (item.is_number()) {
      scalars.emplace_back(item.get<double>());
    } else if (item.is_string()) {
      scalars.emplace_back(item.get<std::string>());
    }
  }
  return scalars;
}

void allowed_function(sqlite3_context* context, int, sqlite3_value** arguments) {
  using Scalars = std::vector<manifest::Scalar>;
  auto* allowed = static_cast<Scalars*>(sqlite3_get_auxdata(context, 0));
  std::unique_ptr<Scalars> owned;
  if (allowed == nullptr) {
    owned = std::make_unique<Scalars>(scalars_of(text_argument(arguments[0])));
    allowed = owned.get();
  }
  sqlite3_value* argument = arguments[1];
  Value value;
  nlohmann::json number;
  switch (sqlite3_value_type(argument)) {
    case SQLITE_NULL: value.kind = Value::Kind::null; break;
    case SQLITE_INTEGER:
      number = sqlite3_value_int64(argument);
      value = Value{Value::Kind::json, {}, &number};
      break;
    case SQLITE_FLOAT:
      number = sqlite3_value_double(argument);
      value = Value{Value::Kind::json, {}, &number};
      break;
    default: value = Value{Value::Kind::text, text_argument(argument), nullptr}; break;
  }
  bool found = false;
  for (const auto& scalar : *allowed) found = found || matches_scalar(value, scalar);
  sqlite3_result_int(context, found ? 1 : 0);
  if (owned) sqlite3_set_auxdata(context, 0, owned.release(), [](void* p) { delete static_cast<Scalars*>(p); });
}

// The plan meshctl_nested reads, and the patterns of its checks, compiled once.
struct NestedChecks {
  const PortPlan* plan = nullptr;
  std::vector<std::unique_ptr<RE2>> patterns;  // per plan check
};

void nested_function(sqlite3_context* context, int, sqlite3_value** arguments) {
  const auto& checks = *static_cast<const NestedChecks*>(sqlite3_user_data(context));
  const auto index = sqlite3_value_int64(arguments[0]);
  if (index < 0 || static_cast<std::size_t>(index) >= checks.plan->checks.size()) {
    sqlite3_result_error(context, "meshctl_nested: no such check", -1);
    return;
  }
  const auto& check = checks.plan->checks[static_cast<std::size_t>(index)];
  Value cell;
  if (sqlite3_value_type(arguments[1]) == SQLITE_TEXT) cell = Value{Value::Kind::text, text_argument(arguments[1])};
  nlohmann::json parsed;
  const auto verdict = judge_nested(check, json_of(cell, parsed), checks.patterns[static_cast<std::size_t>(index)].get());
  switch (check.kind) {
    case CheckKind::exists: sqlite3_result_int(context, verdict.present ? 1 : 0); break;
    case CheckKind::unique:
      if (verdict.text) {
        sqlite3_result_text(context, verdict.text->data(), static_cast<int>(verdict.text->size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_result_null(context);
      }
      break;
    case CheckKind::freshness:
      if (verdict.newest) {
        sqlite3_result_int64(context, *verdict.newest);
      } else {
        sqlite3_result_null(context);
      }
      break;
    default: sqlite3_result_int(context, verdict.failed ? 1 : 0); break;
  }
}

bool only_blank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ';') return false;
  }
  return true;
}

std::string sql_type_of(const manifest::Field& field) {
  const auto type = field.type.value_or("");
  if (type == "integer" || type == "long" || type == "boolean") return "INTEGER";
  if (type == "float" || type == "double" || type == "decimal") return "REAL";
  if (type == "bytes") return "BLOB";
  return "TEXT";
}

Status exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite_message(db);
    sqlite3_free(message);
    return make_error(ErrorKind::unavailable, text);
  }
  return ok_status();
}

}  // namespace

std::string sqlite_message(sqlite3* db) {
  return db ? sqlite3_errmsg(db) : "out of memory";
}

Status register_functions(sqlite3* db) {
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  struct Function {
    const char* name;
    int arguments;
    void (*body)(sqlite3_context*, int, sqlite3_value**);
  };
  for (const Function& function : {Function{"meshctl_fits", 2, fits_function}, Function{"meshctl_number", 1, number_function},
                                   Function{"meshctl_epoch", 1, epoch_function},
                                   Function{"meshctl_search", 2, search_function},
                                   Function{"meshctl_allowed", 2, allowed_function}}) {
    if (sqlite3_create_function_v2(db, function.name, function.arguments, flags, nullptr, function.body, nullptr,
                                   nullptr, nullptr) != SQLITE_OK) {
      return make_error(ErrorKind::unavailable, sqlite_message(db));
    }
  }
  return ok_status();
}

Status register_nested_function(sqlite3* db, const PortPlan& plan) {
  auto checks = std::make_unique<NestedChecks>();
  checks->plan = &plan;
  for (const auto& check : plan.checks) {
    const bool compiled = check.kind == CheckKind::pattern && !check.problem && check.rule_def;
    checks->patterns.push_back(compiled ? std::make_unique<RE2>(*check.rule_def->pattern, RE2::Quiet) : nullptr);
  }
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  // SQLite owns it from here, and deletes it even when the call fails.
  if (sqlite3_create_function_v2(db, "meshctl_nested", 2, flags, checks.release(), nested_function, nullptr, nullptr,
                                 [](void* p) { delete static_cast<NestedChecks*>(p); }) != SQLITE_OK) {
    return make_error(ErrorKind::unavailable, sqlite_message(db));
  }
  return ok_status();
}

Status alias_table(sqlite3* db, const std::vector<std::string>& names, std::string_view table) {
  for (const auto& name : names) {
    if (name == table) continue;
    auto made = exec(db, fmt::format("CREATE TEMP VIEW IF NOT EXISTS {} AS SELECT * FROM main.{}",
                                     quote_identifier(name), quote_identifier(table)));
    if (!made) return made;
  }
  return ok_status();
}

namespace {

// Stops the statements of `db` once a deadline has passed (SQLite's progress handler), until destroyed.
class StatementDeadline {
 public:
  StatementDeadline(sqlite3* db, std::int64_t seconds) : db_(db) {
    if (seconds <= 0) return;
    deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    sqlite3_progress_handler(db_, 10000, &StatementDeadline::check, this);
  }
  ~StatementDeadline() { sqlite3_progress_handler(db_, 0, nullptr, nullptr); }
  StatementDeadline(const StatementDeadline&) = delete;
  StatementDeadline& operator=(const StatementDeadline&) = delete;
  bool passed() const { return passed_; }

 private:
  static int check(void* self) {
    auto* deadline = static_cast<StatementDeadline*>(self);
    deadline->passed_ = std::chrono::steady_clock::now() >= *deadline->deadline_;
    return deadline->passed_ ? 1 : 0;
  }

  sqlite3* db_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  bool passed_ = false;
};

}  // namespace

Result<nlohmann::json> sqlite_rule_value(sqlite3* db, const std::string& query, std::int64_t timeout_seconds) {
  auto refuse = [&](std::string message) -> Result<nlohmann::json> {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return make_error(ErrorKind::invalid, std::move(message));
  };
  if (auto guarded = exec(db, "PRAGMA query_only = ON"); !guarded) return guarded.error();
  if (auto begun = exec(db, "BEGIN"); !begun) return begun.error();
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db, query.c_str(), static_cast<int>(query.size()), &raw, &tail) != SQLITE_OK) {
    return refuse(fmt::format("the query does not run: {}", sqlite_message(db)));
  }
  Statement statement(raw);
  if (raw == nullptr) return refuse("refused before running: the query is empty");
  if (tail != nullptr && !only_blank(tail)) return refuse("refused before running: the query holds more than one statement");
  if (sqlite3_stmt_readonly(raw) == 0) return refuse("refused before running: the query writes");
  StatementDeadline deadline(db, timeout_seconds);
  const int step = sqlite3_step(raw);
  nlohmann::json value;
  if (step == SQLITE_ROW) {
    switch (sqlite3_column_type(raw, 0)) {
      case SQLITE_INTEGER: value = sqlite3_column_int64(raw, 0); break;
      case SQLITE_FLOAT: value = sqlite3_column_double(raw, 0); break;
      case SQLITE_TEXT: value = std::string(reinterpret_cast<const char*>(sqlite3_column_text(raw, 0))); break;
      default: break;
    }
  } else if (deadline.passed()) {
    return refuse(rule_timeout_message(timeout_seconds));
  } else if (step != SQLITE_DONE) {
    return refuse(fmt::format("the query failed: {}", sqlite_message(db)));
  }
  statement.reset();
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  return value;
}

Result<std::unique_ptr<SqlMirror>> SqlMirror::create(const PortPlan& plan) {
  sqlite3* raw = nullptr;
  // "": a private temporary database on disk, deleted when closed.
  const int opened = sqlite3_open_v2("", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  SqliteHandle db(raw);
  if (opened != SQLITE_OK) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("cannot create a temporary database for sql rules: {}", sqlite_message(raw)));
  }
  std::string columns;
  std::string placeholders;
  for (const auto* field : plan.fields) {
    if (!columns.empty()) {
      columns += ", ";
      placeholders += ", ";
    }
    columns += quote_identifier(*field->name) + " " + sql_type_of(*field);
    placeholders += "?";
  }
  if (columns.empty()) columns = "\"_empty\" TEXT";
  for (const std::string& sql :
       {std::string("PRAGMA journal_mode = OFF"), std::string("PRAGMA synchronous = OFF"),
        std::string("PRAGMA cache_size = -8192"),
        fmt::format("CREATE TABLE {} ({})", quote_identifier(plan.name), columns), std::string("BEGIN")}) {
    if (auto done = exec(db.get(), sql); !done) {
      return make_error(ErrorKind::unavailable,
                        fmt::format("cannot create a temporary database for sql rules: {}", done.error().message));
    }
  }
  auto mirror = std::unique_ptr<SqlMirror>(new SqlMirror(plan, std::move(db)));
  if (!plan.fields.empty()) {
    sqlite3_stmt* insert = nullptr;
    const auto sql = fmt::format("INSERT INTO {} VALUES ({})", quote_identifier(plan.name), placeholders);
    if (sqlite3_prepare_v2(mirror->db(), sql.c_str(), -1, &insert, nullptr) != SQLITE_OK) {
      return make_error(ErrorKind::unavailable, sqlite_message(mirror->db()));
    }
    mirror->insert_.reset(insert);
  }
  return mirror;
}

Status SqlMirror::insert(const std::vector<Value>& cells) {
  if (!insert_) return ok_status();
  auto* statement = insert_.get();
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const int column = static_cast<int>(i) + 1;
    const Value& value = cells[i];
    const auto type = plan_.fields[i]->type.value_or("");
    if (value.is_null()) {
      sqlite3_bind_null(statement, column);
      continue;
    }
    if (value.kind == Value::Kind::json && !value.json->is_string()) {
      const auto& json = *value.json;
      if (json.is_boolean()) {
        sqlite3_bind_int(statement, column, json.get<bool>() ? 1 : 0);
      } else if (json.is_number_integer() && !json.is_number_unsigned()) {
        sqlite3_bind_int64(statement, column, json.get<std::int64_t>());
      } else if (json.is_number()) {
        sqlite3_bind_double(statement, column, json.get<double>());
      } else {
        const auto text = json.dump();
        sqlite3_bind_text(statement, column, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
      }
      continue;
    }
    const auto text = value.text;
    if ((type == "integer" || type == "long") && text_fits("long", text)) {
      std::int64_t number = 0;
      std::from_chars(text.data() + (text.front() == '+' ? 1 : 0), text.data() + text.size(), number);
      sqlite3_bind_int64(statement, column, number);
    } else if ((type == "float" || type == "double" || type == "decimal") && number_of_text(text)) {
      sqlite3_bind_double(statement, column, *number_of_text(text));
    } else if (type == "boolean" && text_fits("boolean", text)) {
      sqlite3_bind_int(statement, column, (text[0] == 't' || text[0] == 'T') ? 1 : 0);
    } else {
      sqlite3_bind_text(statement, column, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }
  }
  const int step = sqlite3_step(statement);
  sqlite3_reset(statement);
  if (step != SQLITE_DONE) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("cannot write the temporary database for sql rules: {}", sqlite_message(db_.get())));
  }
  return ok_status();
}

Status SqlMirror::finish() {
  insert_.reset();
  if (auto committed = exec(db_.get(), "COMMIT"); !committed) return committed;
  if (auto registered = register_functions(db_.get()); !registered) return registered;
  return alias_table(db_.get(), port_table_names(plan_), plan_.name);
}

}  // namespace meshctl::quality
