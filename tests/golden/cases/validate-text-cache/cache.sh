# validate --cache: byte for byte what validate prints without it, cold and warm, and again after a
# manifest and the standards governing a folder change. Runs on a copy, so that it can change files.
cp -R products "$CASE_TMP/products" && cd "$CASE_TMP" || exit 99
entries() { find "$1" -type f ! -name last-prune | wc -l; }
compare() {  # compare LABEL ARGS...: `meshctl validate ARGS` with and without --cache
  label=$1; shift
  meshctl validate "$@" > plain.out 2>&1; plain=$?
  meshctl validate --cache "$@" > cached.out 2>&1; cached=$?
  if [ "$plain" = "$cached" ] && cmp -s plain.out cached.out; then echo "$label: same output, exit $cached"; else
    echo "$label: DIFFERENT (exit $plain without the cache, $cached with it)"; diff plain.out cached.out; fi
}
echo "\$ meshctl validate products"
meshctl validate products 2>&1; echo "[exit $?]"
compare cold products
echo "entries: $(entries .cache/meshctl/validate) (the copy of orders.yaml shares its entry)"
compare warm products
compare "warm, one job" -j 1 products
printf '  # a comment changes the bytes\n' >> products/sales/orders.yaml
compare "orders.yaml changed" products
echo "entries: $(entries .cache/meshctl/validate)"
mkdir -p products/finance/.meshctl
printf 'apiVersion: meshctl/v1\nkind: Standards\nrules:\n  MESH-TITLE: off\n' > products/finance/.meshctl/standards.yaml
compare "finance has its own standards" products
meshctl validate products 2>&1 | grep -c MESH-TITLE
printf '  MESH-PII-CLASS: { severity: warning }\n' >> products/finance/.meshctl/standards.yaml
compare "finance's standards changed" products
meshctl validate products 2>&1 | grep 'PII'
echo "entries: $(entries .cache/meshctl/validate)"
XDG_CACHE_HOME="$CASE_TMP/xdg" meshctl validate --cache products > /dev/null 2>&1
echo "with XDG_CACHE_HOME: $(entries xdg/meshctl/validate) entries in \$XDG_CACHE_HOME/meshctl/validate"
