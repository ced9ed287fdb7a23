# test --publish over a registry server: the owners of the product's domain (and admins) publish; an
# owner of another domain and a reader are refused (exit 5), and each refusal is audited. Times and
# tokens are masked.
export MESHCTL_REGISTRY="$CASE_TMP/r.db"
mask() {
  sed -E 's/mesh_[0-9a-f]{16}_[0-9a-f]{64}/<token>/g; s/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z/<time>/g'
}
as() {
  who=$1
  shift
  echo "\$ meshctl $* (as $who)"
  { meshctl --token "$(cat "$CASE_TMP/$who")" "$@" 2>&1; echo "[exit $?]"; } | mask
}

meshctl domain create sales --owner-team sales-data > /dev/null
meshctl domain create finance --owner-team finance-data > /dev/null
meshctl token create --name platform --role admin > "$CASE_TMP/admin" 2> /dev/null
meshctl token create --name sales-ci --role owner --domain sales > "$CASE_TMP/owner" 2> /dev/null
meshctl token create --name finance-ci --role owner --domain finance > "$CASE_TMP/stranger" 2> /dev/null
meshctl token create --name dashboards --role reader > "$CASE_TMP/reader" 2> /dev/null

meshctl serve --listen 127.0.0.1:0 --store "$CASE_TMP/r.db" 2> "$CASE_TMP/log" &
server=$!
for attempt in $(seq 1 100); do
  grep -q '"listening"' "$CASE_TMP/log" && break
  sleep 0.1
done
port=$(sed -nE 's/.*"port":([0-9]+).*/\1/p' "$CASE_TMP/log")
export MESHCTL_REGISTRY="http://127.0.0.1:$port"

as owner apply -f orders.yaml
as stranger test sales/orders --source csv:orders.csv --publish
as reader test sales/orders --source csv:orders.csv --publish -o json
as reader get quality sales/orders
as owner test sales/orders --source csv:orders.csv --publish
as admin test sales/orders --source csv:orders.csv --publish
as reader get quality sales/orders
as reader describe sales/orders
as admin audit --action forbidden

kill "$server"
wait "$server"
echo "server exit $?"
