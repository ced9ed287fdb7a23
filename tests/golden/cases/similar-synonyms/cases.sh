# Duplicate detection through the glossary's synonyms: client_id is a synonym of the term customer-id
# (examples/products/sales/customer-terms.yaml), so marketing/crm-contacts shares five fields with
# sales/customers; once the glossary drops the synonym, it shares four, and the registry's index follows.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl apply -f ../../../../examples/products >/dev/null
step similar crm-contacts.yaml
step similar crm-contacts.yaml -o json
step apply -f crm-contacts.yaml
step similar sales/customers
step apply -f customer-terms-1.1.yaml
step similar crm-contacts.yaml
step similar sales/customers
