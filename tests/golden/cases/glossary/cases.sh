# The business glossary (issue 18): kind: Glossary documents checked by validate, applied before the
# products that name their terms, get terms, describe term, and the MESH-TERM-* findings of the registry.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
step validate products terms-broken.yaml
step validate customers-typo.yaml
step apply -f products --dry-run
step apply -f products
step apply -f products
step get terms
step get terms -o wide
step get terms -o name --domain sales
step get terms --domain finance
step -o json get terms --domain sales
step get terms -o csv
step describe term customer-email
step -o yaml describe term customer-id
step describe term customer-emial
step describe term contact-email
step describe
step describe sales/customers
step apply -f customers-typo.yaml
step -o json apply -f customers-typo.yaml
step --registry "$CASE_TMP/registry.db" validate customers-typo.yaml customers-synonym.yaml
step apply -f customers-synonym.yaml
step describe term customer-email
step search --term customer-email
step apply -f terms-deprecated.yaml
step --registry "$CASE_TMP/registry.db" validate products/sales/customers.yaml
step apply -f terms-removed.yaml
step apply -f terms-taken.yaml
step audit --action glossary-evolve
