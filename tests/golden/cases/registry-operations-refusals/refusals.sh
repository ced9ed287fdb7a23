# What registry check, backup and restore refuse, and with which exit code.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com -f "$CASE_TMP/orders.yaml" >/dev/null
meshctl apply -f "$CASE_TMP/orders.yaml" >/dev/null
before=$(sha256sum < "$CASE_TMP/registry.db")
echo "not a database, just text, long enough to look like a header of one" > "$CASE_TMP/notes.txt"
sqlite3 "$CASE_TMP/app.db" "CREATE TABLE accounts (id INTEGER); CREATE TABLE invoices (id INTEGER);"
step registry restore "$CASE_TMP/notes.txt"
step registry restore "$CASE_TMP/app.db"
step registry restore "$CASE_TMP/missing.db"
meshctl registry backup "$CASE_TMP/tampered.db" >/dev/null
sqlite3 "$CASE_TMP/tampered.db" "UPDATE versions SET manifest = manifest || ' '"
step registry restore "$CASE_TMP/tampered.db"
after=$(sha256sum < "$CASE_TMP/registry.db")
[ "$before" = "$after" ] && echo "the registry file is unchanged"
step registry backup "$CASE_TMP"
step --registry "$CASE_TMP/missing.db" registry check
step --registry "$CASE_TMP/app.db" registry check
step --registry "$CASE_TMP/app.db" registry backup "$CASE_TMP/copy.db"
step --registry "$CASE_TMP/registry.db" registry restore
# Over a server, and on PostgreSQL: where to run it, and which tool to use (no connection is made).
step --registry https://registry.example.com:8443 registry check
step --registry https://registry.example.com:8443 registry backup "$CASE_TMP/copy.db"
step --registry postgresql://meshctl:secret@db.example.com:5432/meshctl registry backup "$CASE_TMP/copy.db"
step --registry postgresql://meshctl:secret@db.example.com:5432/meshctl registry restore "$CASE_TMP/copy.db"
