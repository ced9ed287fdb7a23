# Token expiry, rotation and the audit log over a registry server: what each
# principal may do, and the exit code and message of each refusal. Tokens and
# token ids are random, so they are masked.
export MESHCTL_REGISTRY="$CASE_TMP/r.db"
mask() { sed -E 's/mesh_[0-9a-f]{16}_[0-9a-f]{64}/<token>/g; s/\b[0-9a-f]{16}\b/<token-id>/g'; }
# as NAME ARGS...: runs meshctl with the token kept in $CASE_TMP/NAME.
as() {
  who=$1
  shift
  echo "\$ meshctl $* (as $who)"
  { meshctl --token "$(cat "$CASE_TMP/$who")" "$@" 2>&1; echo "[exit $?]"; } | mask
}

# Seeding the server's file as the local operator.
meshctl domain create sales --owner-team sales-data > /dev/null
meshctl domain create finance --owner-team finance-data > /dev/null
meshctl token create --name platform --role admin > "$CASE_TMP/admin" 2> /dev/null
meshctl token create --name sales-ci --role owner --domain sales --expires-in 90d > "$CASE_TMP/owner" 2> /dev/null
meshctl token create --name dashboards --role reader > "$CASE_TMP/reader" 2> /dev/null
meshctl token create --name old-ci --role owner --domain sales --expires-in 1h > "$CASE_TMP/expired" 2> /dev/null
# As if that hour had passed.
sqlite3 "$CASE_TMP/r.db" "UPDATE principals SET expires_at = '2020-01-01T00:00:00Z' WHERE name = 'old-ci'"
echo "mesh_0123456789abcdef_$(printf '%064d' 0)" > "$CASE_TMP/unknown"
meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com \
  -f "$CASE_TMP/orders.yaml" > /dev/null

meshctl serve --listen 127.0.0.1:0 --store "$CASE_TMP/r.db" 2> "$CASE_TMP/log" &
server=$!
for attempt in $(seq 1 100); do
  grep -q '"listening"' "$CASE_TMP/log" && break
  sleep 0.1
done
port=$(sed -nE 's/.*"port":([0-9]+).*/\1/p' "$CASE_TMP/log")
export MESHCTL_REGISTRY="http://127.0.0.1:$port"

as owner apply -f "$CASE_TMP/orders.yaml"
as expired get products
as unknown get products
as reader audit
as owner audit --domain finance
as owner audit
as owner token rotate sales-ci
as admin token rotate sales-ci --expires-in 30d
# The old secrets stop working, the new ones work.
meshctl --token "$(cat "$CASE_TMP/admin")" -o json token rotate dashboards 2> /dev/null \
  | sed -nE 's/.*"token":"([^"]*)".*/\1/p' > "$CASE_TMP/reader-rotated"
as owner get products
as reader get products
as reader-rotated get domains
as admin token rotate old-ci
as admin token list
as admin audit --action forbidden
as admin audit --action 'token-*' --limit 3
as admin -o json audit --actor sales-ci --limit 1

kill "$server"
wait "$server"
echo "server exit $?"
