# Seeding a server's SQLite file as the local operator: domains, then tokens.
# Tokens and token ids are random, so they are masked; the check below proves
# each token is printed exactly once and never listed.
export MESHCTL_REGISTRY="$CASE_TMP/r.db"
mask() { sed -E 's/mesh_[0-9a-f]{16}_[0-9a-f]{64}/<token>/g; s/\b[0-9a-f]{16}\b/<token-id>/g'; }
step() { echo "\$ meshctl $*"; { meshctl "$@" 2>&1; echo "[exit $?]"; } | mask; }

step domain create sales --owner-team sales-data
meshctl token create --name ci-sales --role owner --domain sales > "$CASE_TMP/token" 2> "$CASE_TMP/warning"
echo "[exit $?]"
grep -cE '^mesh_[0-9a-f]{16}_[0-9a-f]{64}$' "$CASE_TMP/token"
cat "$CASE_TMP/warning"
step -o json token create --name dashboards --role reader
step token list
step -o json token list
meshctl token list -o json | grep -c "$(cat "$CASE_TMP/token" | cut -c 23-)"
step token revoke ci-sales
step token revoke ci-sales
step token list
step token create --name platform-admin --role admin
step token revoke platform-admin
