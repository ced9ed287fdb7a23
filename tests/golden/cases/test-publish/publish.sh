# meshctl test --publish on the embedded registry: each run recorded for the product's version and port,
# listed by `get quality`, the latest shown by `describe`. Times are the clock's, so they are masked.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
mask() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z/<time>/g'; }
run() {
  echo "\$ meshctl $*"
  { meshctl "$@" 2>&1; echo "[exit $?]"; } | mask
}

meshctl apply -f orders.yaml > /dev/null
run get quality sales/orders
run test sales/orders --source csv:orders.csv --publish
run test orders.yaml --source csv:repeated.csv --publish
run get quality sales/orders
run get quality sales/orders@1.0.0 --port orders-table --limit 1
run describe sales/orders
echo '$ meshctl -o json get quality sales/orders --limit 1 (the newest run, its checks cut to two)'
meshctl -o json get quality sales/orders --limit 1 | python3 -c '
import json, sys
runs = json.load(sys.stdin)
for run in runs:
    run["checks"] = [{k: c[k] for k in ("id", "status", "failedRows", "totalRows")} for c in run["checks"][2:4]]
print(json.dumps(runs, indent=2, sort_keys=True))' | mask
echo '$ meshctl -o json describe sales/orders (quality only)'
meshctl -o json describe sales/orders | python3 -c '
import json, sys
print(json.dumps(json.load(sys.stdin)["quality"], indent=2, sort_keys=True))' | mask
# A version that is not published, a port of another product, no registry product.
run test sales/orders@2.0.0 --source csv:orders.csv --publish
sed 's/version: 1.0.0/version: 1.1.0/' orders.yaml > "$CASE_TMP/unpublished.yaml"
run test "$CASE_TMP/unpublished.yaml" --source csv:orders.csv --publish
run get quality sales/returns
run get quality sales/orders --limit 0
