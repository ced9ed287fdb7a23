# One -o for every command, before or after it, with the formats that command
# writes; --format is its alias where a command had it; anything else is a usage
# error naming the formats, and so are two that disagree.
cd "$CASE_TMP"
export MESHCTL_REGISTRY="$CASE_TMP/r.db"
step() {
  echo "\$ meshctl $*"
  meshctl "$@" > "$CASE_TMP/out" 2>&1
  code=$?
  sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/<time>/g' "$CASE_TMP/out"
  echo "[exit $code]"
}
meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com \
  -f orders.yaml > /dev/null
meshctl init --name revenue --domain finance --owner-team finance-data --owner-email finance-data@example.com \
  -f "$CASE_TMP/revenue.yaml" > /dev/null
meshctl apply -f orders.yaml -f "$CASE_TMP/revenue.yaml" > /dev/null
meshctl deprecate finance/revenue --sunset 2099-06-30 --reason "moving to finance/revenue-v2" > /dev/null
step -o json validate orders.yaml
step validate orders.yaml -o json
step validate --format json orders.yaml
step validate -o yaml orders.yaml
step validate --format json -o sarif orders.yaml
step -o markdown describe sales/orders
step get products -o name
step get products -o wide
step -o wide get domains
step lineage sales/orders -o mermaid
step version -o xml
