#include "output/changes.h"

#include <algorithm>

#include "meshctl/core/text.h"
#include "output/style.h"

namespace meshctl::cli {

namespace {

using evolution::Bump;

std::string plural(std::size_t count, const char* one, const char* many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

std::string a_bump(Bump bump) {
  return bump == Bump::none ? "no bump" : std::string("a ") + evolution::to_string(bump) + " bump";
}

// "2 changes, 1 breaking: needs a major bump; 1.0.0 -> 1.1.0 is only a minor bump: evolve would refuse it"
// (with **emphasis** in Markdown). Says whether the versions provide the bump the changes need,
// the same measure the publication gate applies.
std::string summary(const DiffSubject& subject, const evolution::Diff& diff, bool markdown) {
  const char* strong = markdown ? "**" : "";
  if (diff.changes.empty()) return "no changes";
  std::string text = strong + plural(diff.changes.size(), "change", "changes") + ", " + std::to_string(diff.breaking) +
                     " breaking" + strong;
  if (markdown) text += std::string(" under `") + evolution::to_string(subject.mode) + "` compatibility";
  if (diff.required_bump == Bump::none) {
    text += ": needs no bump";
  } else {
    text += std::string(": needs a ") + strong + evolution::to_string(diff.required_bump) + strong + " bump";
  }
  const auto verdict = evolution::judge_step(subject.from_version, subject.to_version, diff);
  if (!verdict.provided) return text;
  const std::string step = subject.from_version + " -> " + subject.to_version;
  if (verdict.enough) return text + "; " + step + " is " + a_bump(*verdict.provided);
  return text + "; " + step + " is only " + a_bump(*verdict.provided) + ": evolve would refuse it";
}

void print_change_lines(std::ostream& out, const evolution::Diff& diff, const std::string& indent, bool color) {
  std::size_t kind_width = 0;
  for (const auto& change : diff.changes) kind_width = std::max(kind_width, change.kind.size());
  for (const auto& change : diff.changes) {
    out << indent << (change.breaking ? painted("BREAKING", Colour::red, color) + "  " : std::string(10, ' '))
        << change.kind << std::string(kind_width - change.kind.size() + 2, ' ') << printable_text(change.path) << ": "
        << printable_text(change.message) << " (needs " << evolution::to_string(change.required_bump) << ")\n";
  }
}

// A table cell: one line, pipes escaped (GitHub reads `\|` as a pipe even inside code), controls visible.
std::string cell(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (c == '`') {
      out += '\'';
    } else {
      out += c;
    }
  }
  return printable_text(out);
}

void print_change_table(std::ostream& out, const evolution::Diff& diff) {
  out << "|  | Change | Path | What | Needs |\n|---|---|---|---|---|\n";
  for (const auto& change : diff.changes) {
    out << "| " << (change.breaking ? "**breaking**" : "") << " | `" << cell(change.kind) << "` | `"
        << cell(change.path) << "` | " << cell(change.message) << " | " << evolution::to_string(change.required_bump)
        << " |\n";
  }
}

DiffSubject subject_of(const std::string& product, const ChangelogEntry& entry) {
  return {product, entry.previous_version.value_or(""), entry.version.version, entry.mode};
}

}  // namespace

void print_diff_text(std::ostream& out, const DiffSubject& subject, const evolution::Diff& diff, bool color) {
  out << printable_text(subject.product) << " " << printable_text(subject.from_version) << " -> "
      << printable_text(subject.to_version) << " (" << evolution::to_string(subject.mode) << " compatibility)\n";
  print_change_lines(out, diff, "", color);
  out << summary(subject, diff, false) << '\n';
}

void print_diff_markdown(std::ostream& out, const DiffSubject& subject, const evolution::Diff& diff) {
  out << "### " << cell(subject.product) << " " << cell(subject.from_version) << " -> " << cell(subject.to_version)
      << "\n\n";
  if (diff.changes.empty()) {
    out << "No changes.\n";
    return;
  }
  out << summary(subject, diff, true) << ".\n\n";
  print_change_table(out, diff);
}

nlohmann::json diff_to_json(const DiffSubject& subject, const evolution::Diff& diff) {
  auto body = evolution::to_json(diff);
  body["product"] = subject.product;
  body["fromVersion"] = subject.from_version;
  body["toVersion"] = subject.to_version;
  body["compatibility"] = evolution::to_string(subject.mode);
  const auto provided = evolution::judge_step(subject.from_version, subject.to_version, diff).provided;
  body["providedBump"] = provided ? nlohmann::json(evolution::to_string(*provided)) : nlohmann::json();
  return body;
}

void print_changelog_text(std::ostream& out, const std::string& product, const std::vector<ChangelogEntry>& entries,
                          bool color) {
  out << printable_text(product) << '\n';
  for (const auto& entry : entries) {
    const auto& version = entry.version;
    out << '\n'
        << version.version << "  " << registry::to_string(version.status) << "  " << version.published_at << "  "
        << printable_text(version.published_by) << '\n';
    if (!entry.previous_version) {
      out << "  first version\n";
      continue;
    }
    print_change_lines(out, entry.diff, "  ", color);
    out << "  since " << *entry.previous_version << " (" << evolution::to_string(entry.mode)
        << " compatibility): " << summary(subject_of(product, entry), entry.diff, false) << '\n';
  }
}

void print_changelog_markdown(std::ostream& out, const std::string& product,
                              const std::vector<ChangelogEntry>& entries) {
  out << "# Changelog of " << cell(product) << '\n';
  for (const auto& entry : entries) {
    const auto& version = entry.version;
    out << "\n## " << cell(version.version) << "\n\nPublished " << version.published_at << " by "
        << cell(version.published_by);
    if (version.status != registry::LifecycleStatus::active) out << " (" << registry::to_string(version.status) << ")";
    out << ". ";
    if (!entry.previous_version) {
      out << "First version.\n";
      continue;
    }
    out << "Since " << cell(*entry.previous_version) << ": " << summary(subject_of(product, entry), entry.diff, true)
        << ".\n";
    if (!entry.diff.changes.empty()) {
      out << '\n';
      print_change_table(out, entry.diff);
    }
  }
}

nlohmann::json changelog_to_json(const std::string& product, const std::vector<ChangelogEntry>& entries) {
  nlohmann::json versions = nlohmann::json::array();
  for (const auto& entry : entries) {
    auto item = diff_to_json(subject_of(product, entry), entry.diff);
    item.erase("product");
    item.erase("fromVersion");
    item.erase("toVersion");
    item["version"] = entry.version.version;
    item["status"] = registry::to_string(entry.version.status);
    item["publishedAt"] = entry.version.published_at;
    item["publishedBy"] = entry.version.published_by;
    item["previousVersion"] = entry.previous_version ? nlohmann::json(*entry.previous_version) : nlohmann::json();
    if (!entry.previous_version) item["providedBump"] = nullptr;
    versions.push_back(std::move(item));
  }
  return {{"product", product}, {"versions", std::move(versions)}};
}

}  // namespace meshctl::cli
