// RemoteRegistry's usage methods (and what needs attention): the client of routes_usage.cpp.

#include <fmt/format.h>

#include "meshctl/catalog/usage_json.h"
#include "meshctl/remote/remote_registry.h"
#include "meshctl/usage/events.h"
#include "remote/remote_support.h"

namespace meshctl::registry {
namespace {

using nlohmann::json;

// The server's body limit is 8 MiB; wrapped in JSON a piece grows by its escapes.
constexpr std::size_t kPieceBytes = 4 * 1024 * 1024;

template <typename T>
Result<T> read_usage_answer(Result<json> answer, const RemoteConnection& connection, Result<T> (*read)(const json&)) {
  if (!answer) return answer.error();
  auto decoded = read(*answer);
  if (decoded.ok()) return decoded;
  return make_error(ErrorKind::unavailable,
                    "unexpected answer from the registry at " + connection.base_url() + ": " + decoded.error().message);
}

Result<std::vector<Subscription>> read_subscriptions(const json& answer, const char* key) {
  return read_answer_list<Subscription>(answer, key, read_subscription);
}

}  // namespace

Result<SubscribeOutcome> RemoteRegistry::subscribe(const SubscribeRequest& request) {
  const json body = {{"consumer", request.consumer},
                     {"team", request.team},
                     {"port", request.port},
                     {"version", request.version_constraint},
                     {"purpose", request.purpose}};
  return read_usage_answer<SubscribeOutcome>(connection_->post(product_path(request.product) + "/subscriptions", body),
                                             *connection_, read_subscribe_outcome);
}

Result<std::vector<Subscription>> RemoteRegistry::unsubscribe(const UnsubscribeRequest& request) {
  std::string path = product_path(request.product) + "/subscriptions/" + path_segment(request.consumer);
  if (request.port) path += "?port=" + path_segment(*request.port);
  auto answer = connection_->del(path);
  if (!answer) return answer.error();
  return read_subscriptions(*answer, "removed");
}

Result<std::vector<Subscription>> RemoteRegistry::list_subscriptions(const std::optional<ProductRef>& product) {
  auto answer = connection_->get(product ? product_path(*product) + "/subscriptions" : "/v1/subscriptions");
  if (!answer) return answer.error();
  return read_subscriptions(*answer, "subscriptions");
}

// Big inputs go in pieces of whole lines, each its own request (and
// transaction); the reports add up. A piece that fails stops the rest.
Result<UsageReport> RemoteRegistry::report_usage(std::string_view json_lines, std::size_t first_line) {
  UsageReport total;
  for (const auto& [line, piece] : usage::split_lines(json_lines, kPieceBytes)) {
    const json body = {{"lines", std::string(piece)}, {"firstLine", first_line + line - 1}};
    auto report = read_usage_answer<UsageReport>(connection_->post("/v1/usage", body), *connection_, read_usage_report);
    if (!report) return report.error();
    total.accepted += report->accepted;
    total.duplicates += report->duplicates;
    total.freshness += report->freshness;
    total.problems.insert(total.problems.end(), report->problems.begin(), report->problems.end());
  }
  return total;
}

Result<UsageSummary> RemoteRegistry::usage(const ProductRef& ref, const UsageQuery& query) {
  return read_usage_answer<UsageSummary>(
      connection_->get(product_path(ref) + "/usage", {{"since", fmt::format("{}d", query.since_days)}}), *connection_,
      read_usage_summary);
}

Result<LineageGraph> RemoteRegistry::lineage(const LineageRequest& request) {
  httplib::Params query{{"direction", to_string(request.direction)}};
  if (request.root) query.emplace("product", request.root->text());
  if (request.depth) query.emplace("depth", std::to_string(*request.depth));
  return read_usage_answer<LineageGraph>(connection_->get("/v1/lineage", query), *connection_, read_lineage_graph);
}

Result<std::vector<ProductAttention>> RemoteRegistry::attention() {
  return read_usage_answer<std::vector<ProductAttention>>(connection_->get("/v1/attention"), *connection_,
                                                          read_attention);
}

}  // namespace meshctl::registry
