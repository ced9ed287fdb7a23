# MESH-DUPLICATE at severity error, from the standards the registry holds: apply, create and their dry runs
# are refused with exit 1 and the finding on the manifest's file, and nothing is written (get products shows
# it); -o json gives the error with each finding. A domain whose override turns the rule off goes ahead.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl apply -f ../../../../examples/products >/dev/null
meshctl standards publish platform.yaml >/dev/null
step apply -f order-lines.yaml
step apply -f order-lines.yaml --dry-run
step create -f order-lines.yaml
step -o json apply -f order-lines.yaml
step get products --domain finance
step apply -f marketing-copy.yaml
step get products --domain marketing
