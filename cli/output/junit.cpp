// JUnit XML output of `validate --format junit`, for CI test reports (Jenkins, GitLab).
//
// Layout, chosen for what those tools display:
//   <testsuites>              the whole run
//     <testsuite name=FILE>   one per file checked, clean files included
//       <testcase name="valid">                        passes; present when the file has no failing finding
//       <testcase name="RULE at LINE:COL"><failure>    one per failing finding (errors; warnings too with
//                                                      --fail-on warning): message=the message, type=the rule id,
//                                                      body `file:line:col: severity: message [RULE]`
//       <testcase name="RULE at LINE:COL"><skipped>    one per finding below --fail-on (warnings, infos)
// One test case per finding, rather than several <failure> elements in one test case, because Jenkins and
// GitLab both show only the first failure of a test case. Findings that do not fail the run are <skipped>
// with the finding as the message: both tools list skipped cases with their message, whereas they hide the
// <system-out> of passing cases (GitLab) or tuck it away (Jenkins).
#include <algorithm>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "meshctl/core/text.h"
#include "output/diagnostics.h"
#include "output/xml.h"

namespace meshctl::cli {

std::string xml_escape(std::string_view text, bool attribute) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size());
  std::size_t offset = 0;
  while (offset < text.size()) {
    const auto character = decode_utf8(text, offset);
    if (!character) {
      out += kReplacement;
      ++offset;
      continue;
    }
    const char32_t c = character->code_point;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default:
        if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
          out += kReplacement;
        } else {
          out.append(text.substr(offset, character->length));
        }
    }
    offset += character->length;
  }
  return out;
}

namespace {

std::string attr(std::string_view text) {
  return xml_escape(text, true);
}

std::string location(const Diagnostic& d) {
  if (d.position.line == 0) return d.file;
  return fmt::format("{}:{}:{}", d.file, d.position.line, d.position.column);
}

std::string case_name(const Diagnostic& d) {
  if (d.position.line == 0) return d.rule;
  return fmt::format("{} at {}:{}", d.rule, d.position.line, d.position.column);
}

bool fails(Severity severity, Severity fail_on) {
  return static_cast<int>(severity) <= static_cast<int>(fail_on);
}

struct FileFindings {
  std::vector<const Diagnostic*> findings;
  std::size_t failures = 0;
  std::size_t skipped = 0;
};

void print_suite(std::ostream& out, const std::string& file, const FileFindings& found, Severity fail_on) {
  const std::size_t tests = found.findings.size() + (found.failures == 0 ? 1 : 0);
  out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n", attr(file),
                     tests, found.failures, found.skipped);
  if (found.failures == 0) {
    out << fmt::format("    <testcase classname=\"{0}\" name=\"valid\" file=\"{0}\"/>\n", attr(file));
  }
  for (const Diagnostic* d : found.findings) {
    out << fmt::format("    <testcase classname=\"{0}\" name=\"{1}\" file=\"{0}\">\n", attr(file), attr(case_name(*d)));
    const std::string line = fmt::format("{}: {}: {} [{}]", location(*d), to_string(d->severity), d->message, d->rule);
    if (fails(d->severity, fail_on)) {
      out << fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n", attr(d->message), attr(d->rule),
                         xml_escape(line, false));
    } else {
      out << fmt::format("      <skipped message=\"{}\"/>\n", attr(line));
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n";
}

}  // namespace

void print_diagnostics_junit(std::ostream& out, const validate::Report& report, const std::vector<std::string>& files,
                             Severity fail_on) {
  std::map<std::string, FileFindings> by_file;
  for (const auto& d : report.diagnostics) {
    auto& found = by_file[d.file];
    found.findings.push_back(&d);
    if (fails(d.severity, fail_on)) {
      ++found.failures;
    } else {
      ++found.skipped;
    }
  }
  // Every file checked, in the order given; then any file only the findings name (a standards file).
  std::vector<std::string> order = files;
  for (const auto& [file, found] : by_file) {
    if (std::find(files.begin(), files.end(), file) == files.end()) order.push_back(file);
  }
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::size_t skipped = 0;
  for (const auto& file : order) {
    const auto& found = by_file[file];
    tests += found.findings.size() + (found.failures == 0 ? 1 : 0);
    failures += found.failures;
    skipped += found.skipped;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format(
      "<testsuites name=\"meshctl validate\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n", tests,
      failures, skipped);
  for (const auto& file : order) print_suite(out, file, by_file[file], fail_on);
  out << "</testsuites>\n";
}

}  // namespace meshctl::cli
