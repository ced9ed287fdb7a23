// The progress line: redrawn at most once per interval, the last count always, erased at the end.
#include "progress.h"

#include <sstream>

#include <catch2/catch.hpp>

using meshctl::cli::Progress;
using namespace std::chrono_literals;

TEST_CASE("progress redraws at most once per interval and erases its line", "[cli][progress]") {
  std::ostringstream out;
  std::chrono::steady_clock::time_point now{};
  {
    Progress progress(
        out, true, [&] { return now; }, 100ms);
    progress.count("applying", 1, 5);  // drawn: the first
    now += 50ms;
    progress.count("applying", 2, 5);  // too soon
    now += 60ms;
    progress.count("applying", 3, 5);  // 110 ms after the first
    now += 10ms;
    progress.count("applying", 4, 5);  // too soon
    progress.count("applying", 5, 5);  // the last count, always
  }
  CHECK(out.str() ==
        "\r\033[Kapplying 1/5\r\033[Kapplying 3/5\r\033[Kapplying 5/5"
        "\r\033[K");
}

TEST_CASE("progress that is not enabled writes nothing", "[cli][progress]") {
  std::ostringstream out;
  {
    Progress progress(out, false);
    progress.count("rows read", 10, 10);
    progress.show("writing...");
  }
  CHECK(out.str().empty());
}
