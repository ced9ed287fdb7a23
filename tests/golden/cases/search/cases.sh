# meshctl search: ranked hits with what matched, filters, output formats, and hostile or impossible
# queries as usage errors (exit 2) before any registry is opened; the same filters on get products.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl apply -f customer-terms.yaml -f customers.yaml -f orders.yaml >/dev/null
step search email
step search customer_email
step search Customer-Email -o json
step search gdpr -o yaml
step search --pii
step search --term customer-email --owner sales-data
step search orders --field order_id --limit 1
step search nothing-like-this
step search '"gdpr" OR orders*'
step search "' OR 1=1 --"
step search '***'
step search
step search email --limit 0
step search address email
step search "a b c d e f g h i j k l m n o p q"
step -o json search '&&'
step get products --tag gdpr
step get products --pii --field customer_email -o name
step get products --term nothing
