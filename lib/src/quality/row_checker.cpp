#include "quality/row_checker.h"

#include <algorithm>

#include <fmt/format.h>
#include <re2/re2.h>

#include "meshctl/usage/time.h"
#include "quality/distinct.h"
#include "quality/nested.h"
#include "quality/sql_rule.h"

namespace meshctl::quality {

namespace {

constexpr std::size_t kUndeclaredLimit = 100;  // column names kept for the warning; more are only counted

std::string predicate_of(const PlannedCheck& check) {
  const auto& field = check.field;
  switch (check.kind) {
    case CheckKind::exists: return fmt::format("column '{}' present", field);
    case CheckKind::type: return fmt::format("'{}' values that are not {}", field, check.field_def->type.value_or(""));
    case CheckKind::required: return fmt::format("'{}' null or empty", field);
    case CheckKind::not_null: return fmt::format("'{}' null", field);
    case CheckKind::unique: return fmt::format("'{}' values seen on an earlier row", field);
    case CheckKind::allowed: return fmt::format("'{}' values not allowed", field);
    case CheckKind::undeclared: return "columns the schema does not declare";
    case CheckKind::row_count: return "rows counted";
    case CheckKind::range: return fmt::format("'{}' numbers out of range", field);
    case CheckKind::pattern: return fmt::format("'{}' values not matching the pattern", field);
    case CheckKind::freshness: return fmt::format("newest '{}'", field);
    case CheckKind::sql: return "";
  }
  return "";
}

}  // namespace

struct RowChecker::State {
  const PlannedCheck* check = nullptr;
  std::size_t cell = 0;  // index into plan.fields / the row's cells: the top-level field holding the values
  std::int64_t failed = 0;
  std::vector<nlohmann::ordered_json> samples;
  std::unique_ptr<RE2> pattern;
  Counter* counter = nullptr;  // unique: the field's counter
  std::optional<std::int64_t> newest;
  bool active = false;  // computed row by row
};

struct RowChecker::Counter {
  std::unique_ptr<DistinctCounter> counter;
  std::int64_t row = -1;  // the row `repeated` is about
  bool repeated = false;
  std::optional<std::int64_t> repeats;  // the final count, once finish() asked for it
};

RowChecker::RowChecker(const PortPlan& plan, const TestOptions& options, std::string scan)
    : plan_(plan),
      options_(options),
      scan_(std::move(scan)),
      present_(plan.fields.size(), false),
      parsed_(plan.fields.size()),
      parsed_row_(plan.fields.size(), -1) {
  for (const auto& check : plan.checks) {
    auto state = std::make_unique<State>();
    state->check = &check;
    if (check.top_def != nullptr) state->cell = top_index(plan, check);
    states_.push_back(std::move(state));
  }
}

RowChecker::~RowChecker() = default;

void RowChecker::mark_present(std::size_t index) {
  present_[index] = true;
}

void RowChecker::add_undeclared(std::string_view column) {
  if (undeclared_.size() < kUndeclaredLimit) {
    undeclared_.emplace(column);
  } else if (!undeclared_.contains(std::string(column))) {
    ++undeclared_beyond_limit_;
  }
}

void RowChecker::add_malformed(std::int64_t row, std::string problem) {
  ++rows_;
  ++malformed_;
  if (malformed_samples_.size() < options_.sample_limit) {
    malformed_samples_.push_back({{"_row", row}, {"_problem", std::move(problem)}});
  }
}

Status RowChecker::start() {
  const bool has_sql = std::any_of(plan_.checks.begin(), plan_.checks.end(),
                                   [](const PlannedCheck& check) { return check.kind == CheckKind::sql && !check.problem; });
  if (has_sql) {
    auto mirror = SqlMirror::create(plan_);
    if (!mirror) return mirror.error();
    mirror_ = std::move(*mirror);
  }
  for (auto& state : states_) {
    const auto& check = *state->check;
    if (check.problem || check.unsupported || check.field_def == nullptr) continue;
    if (check.nested() && check.kind == CheckKind::exists) state->active = true;
    switch (check.kind) {
      case CheckKind::type:
      case CheckKind::required:
      case CheckKind::not_null:
      case CheckKind::allowed:
      case CheckKind::range:
      case CheckKind::freshness: state->active = true; break;
      case CheckKind::unique:
        // One counter per field: the schema's `unique` and a unique rule on it share it.
        state->active = true;
        state->counter = &counters_[check.field];
        if (!state->counter->counter) {
          state->counter->counter = std::make_unique<DistinctCounter>(options_.distinct_memory_bytes);
        }
        break;
      case CheckKind::pattern:
        state->active = true;
        state->pattern = std::make_unique<RE2>(*check.rule_def->pattern, RE2::Quiet);
        break;
      default: break;
    }
  }
  return ok_status();
}

Status RowChecker::add_row(const std::vector<Value>& cells, std::int64_t row) {
  ++rows_;
  if ((rows_ & 0xFFFF) == 0 && options_.progress) options_.progress(plan_.name, rows_);
  if (mirror_) {
    if (auto inserted = mirror_->insert(cells); !inserted) return inserted;
  }
  for (auto& state_pointer : states_) {
    State& state = *state_pointer;
    if (!state.active) continue;
    const auto& check = *state.check;
    const Value& cell = cells[state.cell];
    bool failed = false;
    if (check.nested()) {
      const auto verdict = judge_nested(check, root_of(state.cell, cell, row), state.pattern.get());
      if (check.kind == CheckKind::exists) {
        if (verdict.present) seen_.insert(check.field);
        continue;
      }
      if (check.kind == CheckKind::unique) {
        auto repeated = repeats_value(*state.counter, verdict.text ? std::optional<std::string_view>(*verdict.text)
                                                                : std::nullopt, row);
        if (!repeated) return repeated.error();
        failed = *repeated;
      } else if (check.kind == CheckKind::freshness) {
        if (verdict.newest && (!state.newest || *verdict.newest > *state.newest)) state.newest = verdict.newest;
      } else {
        failed = verdict.failed;
      }
    } else if (check.kind == CheckKind::unique) {
      std::optional<std::string> owned;
      std::optional<std::string_view> text;
      if (!cell.is_null()) {
        if (cell.kind == Value::Kind::text || (cell.json && cell.json->is_string())) {
          text = cell.text;
        } else {
          text = *(owned = text_of(cell));
        }
      }
      auto repeated = repeats_value(*state.counter, text, row);  // picks the samples; finish() counts exactly
      if (!repeated) return repeated.error();
      failed = *repeated;
    } else if (check.kind == CheckKind::freshness) {
      if (auto epoch = epoch_of(cell); epoch && (!state.newest || *epoch > *state.newest)) state.newest = epoch;
    } else {
      failed = breaks(check, cell, state.pattern.get());
    }
    if (!failed) continue;
    ++state.failed;
    if (state.samples.size() < options_.sample_limit) {
      nlohmann::ordered_json sample = {{"_row", row}};
      for (std::size_t i = 0; i < plan_.fields.size(); ++i) {
        sample[*plan_.fields[i]->name] = masked_sample(*plan_.fields[i], sample_json(cells[i]));
      }
      state.samples.push_back(std::move(sample));
    }
  }
  return ok_status();
}

const nlohmann::json* RowChecker::root_of(std::size_t cell, const Value& value, std::int64_t row) {
  if (value.kind == Value::Kind::json) return value.json;
  if (parsed_row_[cell] != row) {
    parsed_row_[cell] = row;
    if (json_of(value, parsed_[cell]) == nullptr) parsed_[cell] = nlohmann::json();
  }
  return parsed_[cell].is_null() ? nullptr : &parsed_[cell];
}

Result<bool> RowChecker::repeats_value(Counter& counter, std::optional<std::string_view> text, std::int64_t row) {
  if (counter.row != row) {
    counter.row = row;
    counter.repeated = false;
    if (text) {
      auto repeated = counter.counter->add(*text);
      if (!repeated) return repeated.error();
      counter.repeated = *repeated;
    }
  }
  return counter.repeated;
}

std::optional<std::string> RowChecker::missing_field(const PlannedCheck& check) const {
  const auto cell = top_index(plan_, check);
  const auto& top = *plan_.fields[cell]->name;
  if (!present_[cell]) {
    if (check.kind == CheckKind::exists && !check.nested()) return std::nullopt;
    return fmt::format("no column '{}' in the data (see {}/{}/exists)", top, plan_.name, top);
  }
  if (!check.nested() || check.kind == CheckKind::exists) return std::nullopt;
  const auto* absent = first_absent(plan_, check, [&](const std::string& path) { return seen_.contains(path); });
  if (absent == nullptr) return std::nullopt;
  return fmt::format("no record has '{}' (see {}/{}/exists)", absent->name, plan_.name, absent->name);
}

Result<std::vector<CheckResult>> RowChecker::finish() {
  std::vector<CheckResult> results;
  if (mirror_) {
    if (auto finished = mirror_->finish(); !finished) return finished.error();
  }
  for (auto& state_pointer : states_) {
    State& state = *state_pointer;
    const auto& check = *state.check;
    CheckResult result = result_for(check, plan_, CheckStatus::passed);
    result.query = fmt::format("{}: {}", scan_, predicate_of(check));
    const auto missing = check.top_def ? missing_field(check) : std::nullopt;
    if (check.problem) {
      result.status = CheckStatus::error;
    } else if (check.unsupported) {
      // result_for made it skipped
    } else if (check.kind == CheckKind::exists && !(check.nested() && !present_[state.cell])) {
      result.status = (check.nested() ? seen_.contains(check.field) : present_[state.cell]) ? CheckStatus::passed
                                                                                            : CheckStatus::failed;
    } else if (check.kind == CheckKind::undeclared) {
      result.status = undeclared_.empty() ? CheckStatus::passed : CheckStatus::warning;
      std::vector<std::string> names(undeclared_.begin(), undeclared_.end());
      result.message = undeclared_.empty()
                           ? "every column is declared in the schema"
                           : fmt::format("columns not in the schema: {}{}", fmt::join(names, ", "),
                                         undeclared_beyond_limit_ > 0
                                             ? fmt::format(" and {} more", undeclared_beyond_limit_)
                                             : std::string());
      result.observed = names;
    } else if (check.kind == CheckKind::sql) {
      result = sql_rule_result(check, plan_,
                               sqlite_rule_value(mirror_->db(), *check.rule_def->query, options_.rule_timeout_seconds));
    } else if (check.kind == CheckKind::row_count) {
      const auto& rule = *check.rule_def;
      const auto rows = static_cast<double>(rows_ - malformed_);
      const bool ok = !(rule.min && rows < number_value(*rule.min)) && !(rule.max && rows > number_value(*rule.max));
      result.status = ok ? CheckStatus::passed : CheckStatus::failed;
      result.observed = rows_ - malformed_;
      result.total_rows = rows_ - malformed_;
    } else if (missing) {
      result.status = CheckStatus::skipped;
      result.message = *missing;
    } else if (check.kind == CheckKind::freshness) {
      result.total_rows = rows_ - malformed_;
      if (!state.newest) {
        result.status = CheckStatus::failed;
        result.message = fmt::format("no value of '{}' is a timestamp or a date: nothing shows the data is fresh",
                                     check.field);
      } else {
        const auto age = options_.now - *state.newest;
        result.observed = {{"newest", usage::format_timestamp(*state.newest)}, {"ageSeconds", age},
                           {"limitSeconds", *check.freshness_seconds}};
        result.status = age <= *check.freshness_seconds ? CheckStatus::passed : CheckStatus::failed;
        result.message = fmt::format("newest '{}' is {} ({} s old; the limit is {} s)", check.field,
                                     usage::format_timestamp(*state.newest), age, *check.freshness_seconds);
      }
    } else {
      if (state.counter != nullptr) {
        auto& counter = *state.counter;
        if (!counter.repeats) {
          auto repeats = counter.counter->finish();  // exact, even after spills
          if (!repeats) return repeats.error();
          counter.repeats = *repeats;
        }
        state.failed = *counter.repeats;
      }
      result.failed_rows = state.failed;
      result.total_rows = rows_ - malformed_;
      result.samples = std::move(state.samples);
      result.status = state.failed > 0 ? CheckStatus::failed : CheckStatus::passed;
    }
    if (result.message.empty() || result.status == CheckStatus::passed || result.status == CheckStatus::failed) {
      if (check.kind != CheckKind::undeclared && check.kind != CheckKind::freshness && check.kind != CheckKind::sql) {
        result.message = describe(check, result);
      }
    }
    results.push_back(std::move(result));
    if (check.kind == CheckKind::undeclared) {
      CheckResult formed;
      formed.id = plan_.name + "/rows/well_formed";
      formed.port = plan_.name;
      formed.rule = "well_formed";
      formed.query = fmt::format("{}: records that are not well formed", scan_);
      formed.failed_rows = malformed_;
      formed.total_rows = rows_;
      formed.samples = malformed_samples_;
      formed.status = malformed_ > 0 ? CheckStatus::failed : CheckStatus::passed;
      formed.message = malformed_ > 0 ? fmt::format("{} of {} records are not well formed (not checked further)",
                                                    malformed_, rows_)
                                      : "every record is well formed";
      results.push_back(std::move(formed));
    }
  }
  return results;
}

}  // namespace meshctl::quality
