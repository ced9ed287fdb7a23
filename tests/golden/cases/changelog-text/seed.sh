# Three versions of sales/orders in a fresh embedded registry: 1.0.0, 1.1.0 (a field added), 2.0.0 (breaking).
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
for version in 1.0.0 1.1.0 2.0.0; do meshctl apply -f orders-$version.yaml >/dev/null || exit; done
