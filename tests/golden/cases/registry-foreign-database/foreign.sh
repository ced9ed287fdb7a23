# Another application's SQLite database given as the registry: every command
# refuses it (exit 6) and the file stays byte for byte as it was.
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com -f "$CASE_TMP/orders.yaml" >/dev/null
sqlite3 "$CASE_TMP/app.db" "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE invoices (id INTEGER); INSERT INTO customers VALUES (1, 'Ada');"
sqlite3 "$CASE_TMP/marked.db" "PRAGMA application_id = 1234; PRAGMA user_version = 3;"
before=$(cat "$CASE_TMP/app.db" "$CASE_TMP/marked.db" | sha256sum)
step --registry "$CASE_TMP/app.db" get products
step --registry "$CASE_TMP/app.db" apply -f "$CASE_TMP/orders.yaml"
step --registry "sqlite:$CASE_TMP/app.db" -o json describe sales/orders
step --registry "$CASE_TMP/marked.db" get domains
after=$(cat "$CASE_TMP/app.db" "$CASE_TMP/marked.db" | sha256sum)
[ "$before" = "$after" ] && echo "both files are unchanged"
ls "$CASE_TMP"
