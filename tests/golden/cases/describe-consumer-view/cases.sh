# describe shows what a consumer needs: compatibility, tags, labels, fields with their
# description, enum, term, PII and classification, SLOs and quality rules.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
meshctl apply -f customer-terms.yaml -f upstream.yaml -f orders.yaml > /dev/null
meshctl describe sales/orders
echo "[exit $?]"
echo "== -o json: the compatibility mode in force, here written in the manifest and defaulted"
meshctl describe sales/orders -o json | grep -o '"compatibility":"[a-z]*"'
meshctl describe sales/order-events -o json | grep -o '"compatibility":"[a-z]*"'
meshctl describe sales/order-events | grep compatibility
echo "== nested fields, indented under their parent"
meshctl describe sales/order-events | sed -n "/fields:/,/slo:/p"
