# Domains as an operator creates them, next to a domain created on first use.
export MESHCTL_REGISTRY="$CASE_TMP/r.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }

step domain list
step domain create sales --owner-team sales-data
step domain create sales --owner-team other
step domain create Sales_Team --owner-team other
step domain create hr
meshctl init --name staff --domain people --owner-team people-data --owner-email people@example.com -f "$CASE_TMP/staff.yaml" > /dev/null 2>&1
meshctl apply -f "$CASE_TMP/staff.yaml" > /dev/null 2>&1
step domain list
step -o json domain list
