# The platform's standards kept by the registry: published, versioned, shown, and enforced on every
# write whatever standards file the client brings. Each step prints the command, its output and exit code.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }

step init --name revenue --domain finance --owner-team finance-data --owner-email finance-data@example.com -f "$CASE_TMP/revenue.yaml"
step init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com -f "$CASE_TMP/orders.yaml"

# None published: the built-in standards are in force.
show() { echo "\$ meshctl --registry R standards show --domain finance (source, MESH-DESCRIPTION)";
  meshctl --registry "$CASE_TMP/registry.db" standards show --domain finance 2>&1 | grep -A3 -E '^source|MESH-DESCRIPTION'; }
show
step standards publish broken.yaml
step standards publish platform.yaml
step standards publish platform.yaml
step -o json standards publish platform.yaml
show

# A client's lax file removes nothing the registry enforces; the finding is positioned in the file.
step apply -f "$CASE_TMP/revenue.yaml" --standards lax.yaml
step --registry "$CASE_TMP/registry.db" validate --standards lax.yaml "$CASE_TMP/revenue.yaml" "$CASE_TMP/orders.yaml"
step apply -f "$CASE_TMP/orders.yaml" --standards lax.yaml
# Published again, laxer: the registry's own standards decide.
step standards publish lax.yaml
step apply -f "$CASE_TMP/revenue.yaml"
