# The whole life of a data product against the embedded registry, with every
# refusal and its exit code. Each step prints the command, its output and its exit code.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
version() { sed "s/^  version: 0.1.0 /  version: $1 /" "$CASE_TMP/orders.yaml" > "$CASE_TMP/orders-$1.yaml"; }

step init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com -f "$CASE_TMP/orders.yaml"
step validate "$CASE_TMP/orders.yaml"
step apply -f "$CASE_TMP/orders.yaml" --dry-run
step get products
step apply -f "$CASE_TMP/orders.yaml"
step apply -f "$CASE_TMP/orders.yaml"
step create -f "$CASE_TMP/orders.yaml"
step evolve -f reader.yaml
step describe sales/orders

# A published version never changes; a new one must be greater.
sed 's/title: Orders/title: All orders/' "$CASE_TMP/orders.yaml" > "$CASE_TMP/changed.yaml"
step evolve -f "$CASE_TMP/changed.yaml"
version 0.2.0
step evolve -f "$CASE_TMP/orders-0.2.0.yaml"
version 0.0.9
step apply -f "$CASE_TMP/orders-0.0.9.yaml"

# Standards are checked before any write.
step apply -f bad.yaml
step get products

# A downstream product reads it; deprecation needs a sunset in the future and a reason (usage errors, exit 2).
step apply -f reader.yaml
step deprecate sales/orders --reason "moving to sales/order-lines"
step deprecate sales/orders --sunset 2099-06-30
step deprecate sales/orders --sunset 2027-13-01 --reason "moving to sales/order-lines"
step deprecate sales/orders --sunset 2020-01-01 --reason "moving to sales/order-lines" | sed -E 's/today is [0-9-]+/today is <today>/'
step deprecate sales/orders@0.1.0 --sunset 2099-01-31 --reason "0.2.0 is the same data with a new title"
step retire sales/orders
step deprecate sales/orders --sunset 2099-06-30 --reason "moving to sales/order-lines"
step describe sales/orders
step -o json get versions sales/orders
step -o yaml get versions sales/orders

# Retirement waits for the sunset and for its readers, unless forced; the name is then spent.
step retire sales/orders
step -o json retire sales/orders
step retire sales/orders --force --reason "sales/order-lines replaces it"
step create -f "$CASE_TMP/orders-0.2.0.yaml"
step get products --status retired
step -o json history sales/orders

# Not found, and a malformed reference.
step describe sales/missing
step describe sales/orders@9.9.9
step history orders
