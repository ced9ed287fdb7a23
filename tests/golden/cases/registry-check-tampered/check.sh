# A manifest changed behind meshctl's back (here with the sqlite3 shell) and a
# deleted audit event are found: exit 1, each problem printed.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com -f "$CASE_TMP/orders.yaml" >/dev/null
sed 's/^  version: 0.1.0 /  version: 0.2.0 /' "$CASE_TMP/orders.yaml" > "$CASE_TMP/orders-0.2.0.yaml"
meshctl apply -f "$CASE_TMP/orders.yaml" >/dev/null
meshctl apply -f "$CASE_TMP/orders-0.2.0.yaml" >/dev/null
sqlite3 "$CASE_TMP/registry.db" "UPDATE versions SET manifest = replace(manifest, 'sales-data@example.com', 'attacker@example.com') WHERE version = '0.1.0'; DELETE FROM audit_events WHERE id = 1;"
step registry check
step -o json registry check
