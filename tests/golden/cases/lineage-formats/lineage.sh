# Lineage from one product, the whole mesh, each format, depth limits, and a cycle.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl apply -f products > /dev/null
step lineage sales/orders
step lineage sales/orders --upstream
step lineage sales/orders --downstream --depth 1
step lineage sales/order-events --depth 1
step lineage sales/orders --format dot
step lineage sales/orders --format mermaid
step lineage sales/orders --upstream --format json
step lineage --all
step lineage --all --format mermaid
step lineage sales/nothing
step lineage
step lineage sales/orders --all
# sales/order-events now reads finance/revenue, which reads sales/orders, which reads sales/order-events.
sed -e 's/^  version: .*/  version: 9.0.0/' loop.yaml > "$CASE_TMP/loop.yaml"
meshctl apply -f "$CASE_TMP/loop.yaml" > /dev/null 2>&1 || echo "(apply of the loop refused)"
step lineage sales/orders --downstream
step lineage --all --format json
