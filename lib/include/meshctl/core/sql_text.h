#pragma once

// What meshctl reads of SQL text without a database: whether a quality rule's query is one read statement.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace meshctl {

// Why `query` is not a single SELECT or WITH statement, or nullopt when it is one. Comments (`--`, `/* */`),
// quoted strings ('...', E'...', $tag$...$tag$) and quoted identifiers ("...") are skipped, so a ';' or a
// keyword inside them counts for nothing; one ';' may end the statement. This is the check made before a
// query runs; the query then runs in a read-only transaction all the same (a WITH may hold a data-modifying
// statement on PostgreSQL, which the transaction refuses).
std::optional<std::string> single_select_problem(std::string_view query);

// `query` (one SELECT or WITH statement) with common table expressions put in front of it: each of
// `tables` is (NAME, SQL), readable in the query as the identifier NAME (quoted as needed). A WITH query
// gets them first in its own list (after RECURSIVE, when it says so).
std::string with_tables(std::string_view query, const std::vector<std::pair<std::string, std::string>>& tables);

}  // namespace meshctl
