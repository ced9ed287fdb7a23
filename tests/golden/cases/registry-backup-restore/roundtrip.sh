# Back up, keep writing, restore: the registry is back as it was at the backup.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com -f "$CASE_TMP/orders.yaml" >/dev/null
sed 's/^  version: 0.1.0 /  version: 0.2.0 /' "$CASE_TMP/orders.yaml" > "$CASE_TMP/orders-0.2.0.yaml"
meshctl apply -f "$CASE_TMP/orders.yaml" >/dev/null
step registry backup "$CASE_TMP/backup.db"
step --registry "$CASE_TMP/backup.db" registry check
step apply -f "$CASE_TMP/orders-0.2.0.yaml"
step get products
step registry backup "$CASE_TMP/backup.db"
step registry restore "$CASE_TMP/backup.db"
step get products
step history sales/orders
step registry check
step -o json registry backup "$CASE_TMP/backup.db" --force
# Restore into a registry that does not exist yet.
step --registry "$CASE_TMP/new.db" registry restore "$CASE_TMP/backup.db"
step --registry "$CASE_TMP/new.db" get products
