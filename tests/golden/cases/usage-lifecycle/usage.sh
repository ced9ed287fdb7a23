# Subscriptions, usage events, the usage summary and retirement that breaks no one,
# against the embedded registry. Event times are made "now" so the --since window holds them;
# days and ages are normalized (the runner normalizes full timestamps only).
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
days() {
  sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<time>/g' -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}/<day>/g' \
      -e 's/ [0-9]+d  violated/ <age>  violated/'
}
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)

meshctl apply -f products > /dev/null
step subscribe sales/orders --consumer revenue-dashboard --team finance-bi --port orders-table --version ^1
step subscribe sales/orders --consumer revenue-dashboard --team finance-bi --port orders-table --version ^1
step subscribe sales/orders --consumer churn-model --team ml --port no-such-port
step subscribe sales/orders --consumer churn-model --team ml --version latest
step -o json subscribe sales/customers --consumer crm-sync --team crm
step get subscriptions

sed "s/NOW/$now/g" events.jsonl > "$CASE_TMP/events.jsonl"
step usage report -f "$CASE_TMP/events.jsonl"
echo "--- again: every id is known"
step usage report -f - < "$CASE_TMP/events.jsonl"
step usage sales/orders --since 7d | days
# Two ports whose data is from 2020 (their SLOs say 1d): each port's SLO days, then the product's.
for port in revenue-daily revenue-api; do
  echo "{\"time\":\"$now\",\"product\":\"finance/revenue\",\"port\":\"$port\",\"updatedAt\":\"2020-01-01T00:00:00Z\"}"
done | meshctl usage report -f - > /dev/null
step usage finance/revenue --since 3d | days
meshctl -o json usage sales/orders | python3 -c '
import json, sys
summary = json.load(sys.stdin)
print("days:", len(summary["days"]), "totals:", summary["totals"])
print("unsubscribed:", summary["unsubscribed"])
print("freshness:", [(f["port"], f["verdict"]) for f in summary["freshness"]])
print("versions:", summary["versions"])'

step retire sales/orders
step retire sales/customers --quiet-days 0
step unsubscribe sales/customers --consumer crm-sync
step unsubscribe sales/customers --consumer crm-sync
step retire sales/customers --quiet-days 0
step retire finance/revenue --force --reason "replaced"
step history finance/revenue
step deprecate sales/order-events --sunset 2099-01-31 --reason "use sales/orders"
step subscribe sales/order-events --consumer audit --team risk
step -o json subscribe sales/order-events --consumer audit2 --team risk
step describe sales/orders
step -o json describe sales/orders
step subscribe sales/customers --consumer late --team crm
