# Token lifetimes and rotation on the embedded registry (the local user may do
# everything), with every refusal and its exit code. Tokens and token ids are
# random, so they are masked; each new secret is printed once.
export MESHCTL_REGISTRY="$CASE_TMP/r.db"
mask() { sed -E 's/mesh_[0-9a-f]{16}_[0-9a-f]{64}/<token>/g; s/\b[0-9a-f]{16}\b/<token-id>/g'; }
step() { echo "\$ meshctl $*"; { meshctl "$@" 2>&1; echo "[exit $?]"; } | mask; }

meshctl domain create sales --owner-team sales-data > /dev/null
step token create --name ci-sales --role owner --domain sales --expires-in 90d
step -o json token create --name dashboards --role reader --expires-in 2w
step token create forever --role reader
step token list
step -o json token list
for lifetime in 0d -7d 90 1y 3.5d 3651d; do
  step token create --name wrong --role reader --expires-in "$lifetime"
done
step token create --name wrong --role reader --expires-in
before=$(meshctl -o json token list | sed -nE 's/.*"name":"ci-sales","role":"owner","tokenId":"([0-9a-f]{16})".*/\1/p')
step token rotate ci-sales
after=$(meshctl -o json token list | sed -nE 's/.*"name":"ci-sales","role":"owner","tokenId":"([0-9a-f]{16})".*/\1/p')
[ -n "$before" ] && [ -n "$after" ] && [ "$before" != "$after" ] && echo "the token id changed"
step token rotate ci-sales --expires-in 12h
step -o json token rotate forever
step token rotate forever --expires-in 0d
step token rotate nobody
step token revoke dashboards
step token rotate dashboards
step -o json token rotate dashboards
step token list
