# A breaking change with a major bump is accepted; 1.0.0 stays active, and describe
# shows the dependent whose constraint (^1) still pins the old major.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }

step apply -f orders-1.0.0.yaml
step apply -f reader.yaml
step evolve -f orders-2.0.0.yaml
step get versions sales/orders
step describe sales/orders
step -o json describe sales/orders
