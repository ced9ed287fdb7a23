# meshctl similar on the examples: a registered product, a manifest that is not registered (text, JSON,
# YAML), --min-score and --limit, a shared output location listed first; then the same comparison as the
# MESH-DUPLICATE warning of an apply, which goes ahead (--dry-run first: nothing written).
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl apply -f ../../../../examples/products >/dev/null
step similar sales/orders
step similar order-lines.yaml
step similar order-lines.yaml -o json
step similar order-lines.yaml -o yaml --min-score 0.9
step similar - < order-lines.yaml
step apply -f order-lines.yaml --dry-run
step -o json apply -f order-lines.yaml --dry-run
step get products --domain finance
step apply -f order-lines.yaml
step apply -f order-lines.yaml
step similar sales/orders
step similar sales/orders@1.2.0 --limit 1
step apply -f orders-archive.yaml
step similar sales/orders --min-score 1
step similar marketing/campaigns
