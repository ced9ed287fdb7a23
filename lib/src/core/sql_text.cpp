#include "meshctl/core/sql_text.h"

#include <cctype>
#include <vector>

namespace meshctl {

namespace {

bool is_word_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The statement's tokens that matter here: words (uppercased) and ';', with everything quoted or
// commented left out. nullopt when a quote or a comment is not closed.
struct Lexed {
  std::vector<std::string> words;  // each word, and ";" for each semicolon
  std::vector<std::size_t> offsets;  // where each word starts in the text
  std::optional<std::string> problem;
};

Lexed lex(std::string_view text) {
  Lexed out;
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto skip_quoted = [&](char quote, bool backslash_escapes) {
    ++i;
    while (i < n) {
      if (backslash_escapes && text[i] == '\\' && i + 1 < n) {
        i += 2;
      } else if (text[i] == quote) {
        if (i + 1 < n && text[i + 1] == quote) {
          i += 2;  // a doubled quote stands for itself
        } else {
          ++i;
          return true;
        }
      } else {
        ++i;
      }
    }
    return false;
  };
  while (i < n && !out.problem) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
    } else if (c == '-' && i + 1 < n && text[i + 1] == '-') {
      while (i < n && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      const auto end = text.find("*/", i + 2);
      if (end == std::string_view::npos) {
        out.problem = "a /* comment is not closed";
      } else {
        i = end + 2;
      }
    } else if (c == '\'' || c == '"' || c == '`') {
      if (!skip_quoted(c, false)) out.problem = "a quoted string or name is not closed";
      out.words.emplace_back("?");
    } else if ((c == 'E' || c == 'e') && i + 1 < n && text[i + 1] == '\'') {
      ++i;
      if (!skip_quoted('\'', true)) out.problem = "a quoted string is not closed";
      out.words.emplace_back("?");
    } else if (c == '$' && (i + 1 < n) && (text[i + 1] == '$' || std::isalpha(static_cast<unsigned char>(text[i + 1])))) {
      // PostgreSQL's dollar quoting: $tag$ ... $tag$ (a $1 parameter starts with a digit and is a word).
      const auto close = text.find('$', i + 1);
      const auto tag = close == std::string_view::npos ? std::string_view{} : text.substr(i, close - i + 1);
      bool is_tag = !tag.empty();
      for (std::size_t k = 1; is_tag && k + 1 < tag.size(); ++k) is_tag = is_word_character(tag[k]) && tag[k] != '$';
      if (!is_tag) {
        ++i;
        continue;
      }
      const auto end = text.find(tag, i + tag.size());
      if (end == std::string_view::npos) {
        out.problem = "a $-quoted string is not closed";
      } else {
        i = end + tag.size();
        out.words.emplace_back("?");
      }
    } else if (c == ';') {
      out.words.emplace_back(";");
      ++i;
    } else if (is_word_character(c)) {
      out.offsets.resize(out.words.size(), 0);
      out.offsets.push_back(i);
      std::string word;
      while (i < n && is_word_character(text[i])) {
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
        ++i;
      }
      out.words.push_back(std::move(word));
    } else {
      ++i;  // operators, parentheses, commas
    }
  }
  return out;
}

std::string quoted_name(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + '"';
}

}  // namespace

std::string with_tables(std::string_view query, const std::vector<std::pair<std::string, std::string>>& tables) {
  std::string definitions;
  for (const auto& [name, sql] : tables) {
    if (!definitions.empty()) definitions += ", ";
    definitions += quoted_name(name) + " AS (" + sql + ")";
  }
  const auto lexed = lex(query);
  if (lexed.words.empty() || lexed.offsets.empty()) return "WITH " + definitions + " " + std::string(query);
  const std::size_t start = lexed.offsets.front();
  if (lexed.words.front() != "WITH") {
    return std::string(query.substr(0, start)) + "WITH " + definitions + " " + std::string(query.substr(start));
  }
  std::size_t rest = start + 4;
  std::string keyword = "WITH ";
  if (lexed.words.size() > 1 && lexed.words[1] == "RECURSIVE" && lexed.offsets.size() > 1) {
    rest = lexed.offsets[1] + 9;
    keyword = "WITH RECURSIVE ";
  }
  return std::string(query.substr(0, start)) + keyword + definitions + "," + std::string(query.substr(rest));
}

std::optional<std::string> single_select_problem(std::string_view query) {
  auto lexed = lex(query);
  if (lexed.problem) return lexed.problem;
  auto& words = lexed.words;
  while (!words.empty() && words.back() == ";") words.pop_back();  // one or more ';' may end it
  if (words.empty()) return "the query is empty: write one SELECT statement that returns one number";
  for (const auto& word : words) {
    if (word == ";") return "the query holds more than one statement: write one SELECT (or WITH ... SELECT)";
  }
  const auto& first = words.front();
  if (first != "SELECT" && first != "WITH") {
    return "the query is a " + first + " statement, not a SELECT: only SELECT and WITH ... SELECT run";
  }
  // SELECT ... INTO creates a table, and PostgreSQL's WITH may hold an INSERT, UPDATE or DELETE.
  for (const auto& word : words) {
    if (word == "INTO" || word == "INSERT" || word == "UPDATE" || word == "DELETE" || word == "MERGE") {
      return "the query writes (" + word + "): only reading queries run";
    }
  }
  return std::nullopt;
}

}  // namespace meshctl
