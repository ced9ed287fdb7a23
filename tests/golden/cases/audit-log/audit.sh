# The registry-wide audit log of an embedded registry (the local user reads
# every event): filters, pages, the output formats, and usage errors.
export MESHCTL_REGISTRY="$CASE_TMP/r.db"
mask() { sed -E 's/mesh_[0-9a-f]{16}_[0-9a-f]{64}/<token>/g; s/\b[0-9a-f]{16}\b/<token-id>/g'; }
step() { echo "\$ meshctl $*"; { meshctl "$@" 2>&1; echo "[exit $?]"; } | mask; }

step audit
meshctl domain create sales --owner-team sales-data > /dev/null
meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com \
  -f "$CASE_TMP/orders.yaml" > /dev/null
meshctl init --name revenue --domain finance --owner-team finance-data --owner-email finance-data@example.com \
  -f "$CASE_TMP/revenue.yaml" > /dev/null
meshctl apply -f "$CASE_TMP/orders.yaml" -f "$CASE_TMP/revenue.yaml" > /dev/null
meshctl deprecate sales/orders --sunset 2027-06-30 --reason "replaced by sales/order-lines" > /dev/null
meshctl token create --name sales-ci --role owner --domain sales > /dev/null 2>&1
meshctl token rotate sales-ci > /dev/null 2>&1
meshctl token revoke sales-ci > /dev/null

step audit
step audit --domain sales
step audit --domain sales --action create
step audit --action 'token-*'
step audit --action token
step audit --actor nobody
step audit --since 1h
step audit --since 2020-01-01T00:00:00Z --limit 2
step audit --since 2020-01-01T00:00:00Z --limit 2 --before 6
step audit --limit 7
step -o json audit --limit 2
step -o yaml audit --domain finance
step audit --since yesterday
step -o json audit --since 0d
step audit --limit 0
step audit --limit 1001
step audit --before -1
step audit --domain
step audit --user someone
