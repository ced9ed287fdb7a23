# validate --registry checks input ports as apply would: unknown and retired products are errors, and so
# is a constraint no version meets; deprecated products, or constraints that resolve only to deprecated
# versions, are warnings; a product defined in the same run counts as known.
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
R="$CASE_TMP/r.db"
for name in orders returns refunds; do
  meshctl init --name "$name" --domain sales --owner-team sales-data --owner-email sales-data@example.com \
    -f "$CASE_TMP/$name.yaml" > /dev/null
  meshctl --registry "$R" apply -f "$CASE_TMP/$name.yaml" > /dev/null
done
meshctl init --name fx-rates --domain finance --owner-team finance-data --owner-email finance-data@example.com \
  -f "$CASE_TMP/fx-rates.yaml" > /dev/null
meshctl --registry "$R" deprecate sales/returns --sunset 2099-03-01 --reason "move to sales/order-lines" > /dev/null
meshctl --registry "$R" deprecate sales/refunds --sunset 2099-01-31 --reason "folded into sales/returns" > /dev/null
meshctl --registry "$R" retire sales/refunds --force > /dev/null
meshctl --registry "$R" deprecate sales/orders@0.1.0 --sunset 2099-02-28 --reason "0.2.0 renames columns" > /dev/null

# Without --registry, validate stays offline (MESHCTL_REGISTRY alone does not turn the check on).
MESHCTL_REGISTRY="$R" step validate reader.yaml
step --registry "$R" validate reader.yaml "$CASE_TMP/fx-rates.yaml"
step --registry "$R" validate --format json reader.yaml "$CASE_TMP/fx-rates.yaml"
step --registry "$R" validate --fail-on warning "$CASE_TMP/orders.yaml"
step --registry http://127.0.0.1:1 validate reader.yaml
step validate reader.yaml --registry "$R"
step standards explain MESH-INPUT-UNKNOWN
step standards explain MESH-INPUT-DEPRECATED
step standards explain MESH-INPUT-UNMATCHED
