# meshctl similar: arguments it cannot answer are usage errors (exit 2) before any registry is opened (the
# registry named here does not exist and is never created); a product it does not know is exit 3.
export MESHCTL_REGISTRY="$CASE_TMP/none/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
step similar
step similar sales/orders --limit 0
step similar sales/orders --limit 101
step similar sales/orders --min-score 1.5
step similar sales/orders --min-score -0.1
step similar sales/orders --min-score half
step similar sales
step similar sales/orders extra
step similar missing.yaml
step -o json similar sales/orders --limit 0
test -e "$CASE_TMP/none" && echo "a registry was created" || echo "no registry was created"
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
meshctl apply -f ../../../../examples/products >/dev/null
step similar sales/nothing
step similar sales/orders@9.9.9
step -o json similar sales/nothing
