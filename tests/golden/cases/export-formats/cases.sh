# meshctl export: a product's schema for the tools around it, from a file or the registry; what a format
# cannot say is an error naming the field (exit 1); no such port or product exits 3; usage errors exit 2.
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step export customers.yaml --format markdown
step export customers.yaml --format sql --dialect sqlite
meshctl apply -f customer-terms.yaml -f customers.yaml >/dev/null
step export sales/customers@1.4.2 --format avro --port customers-table
step export sales/customers --format jsonschema
step export sales/customers --format sql --port customers
step export sales/nothing --format sql
step export money.yaml --format sql
step export money.yaml --format jsonschema --port prices
step export money.yaml --format markdown
step export customers.yaml --format xml
step export customers.yaml
step export customers.yaml --format sql --dialect oracle
step export customers.yaml --format avro -o json --port nope
echo "\$ meshctl export - --format avro < customers.yaml (first lines)"; meshctl export - --format avro < customers.yaml 2>&1 | head -4
