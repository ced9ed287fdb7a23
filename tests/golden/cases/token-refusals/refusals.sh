# Every refused token request and its exit code.
export MESHCTL_REGISTRY="$CASE_TMP/r.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }

step domain create sales --owner-team sales-data
step token create --name ci --role owner
step token create --name ci --role reader --domain sales
step token create --name ci --role admin --domain sales
step token create --name ci --role owner --domain sales --domain nowhere
step token create --name ci --role superuser
step token create --name "has space" --role reader
step token create --name ci --role reader > /dev/null
step token create --name ci --role reader
step token revoke nobody
step -o json token revoke nobody
