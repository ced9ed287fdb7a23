step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
step standards list
step standards list --standards .meshctl/standards.yaml --domain finance
step standards explain MESH-PII-CLASS
step standards explain MESH-SCHEMA-UNKNOWN-KEY
step standards explain ACME-COST-CENTER --standards .meshctl/standards.yaml
step -o json standards explain MESH-DESCRIPTION --standards .meshctl/standards.yaml
step standards explain MESH-NO-SUCH-RULE
step standards show --standards .meshctl/standards.yaml --domain finance
