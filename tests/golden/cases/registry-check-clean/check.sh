# A sound registry passes the check (text and JSON); the check writes nothing.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com -f "$CASE_TMP/orders.yaml" >/dev/null
sed 's/^  name: orders/  name: revenue/; s/^  domain: sales/  domain: finance/' "$CASE_TMP/orders.yaml" > "$CASE_TMP/revenue.yaml"
meshctl apply -f "$CASE_TMP/orders.yaml" >/dev/null
meshctl apply -f "$CASE_TMP/revenue.yaml" >/dev/null
before=$(sha256sum < "$CASE_TMP/registry.db")
step registry check
step -o json registry check
after=$(sha256sum < "$CASE_TMP/registry.db")
[ "$before" = "$after" ] && echo "the registry file is unchanged"
