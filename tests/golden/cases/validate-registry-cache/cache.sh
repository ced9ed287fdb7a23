# validate --cache with --registry: a file's own findings and the input ports it reads come from the
# cache, and the ports are checked against the registry on every run, so a change there shows at once.
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
R="$CASE_TMP/r.db"
for name in orders returns refunds; do
  meshctl init --name "$name" --domain sales --owner-team sales-data --owner-email sales-data@example.com \
    -f "$CASE_TMP/$name.yaml" > /dev/null
  meshctl --registry "$R" apply -f "$CASE_TMP/$name.yaml" > /dev/null
done
meshctl init --name fx-rates --domain finance --owner-team finance-data --owner-email finance-data@example.com \
  -f "$CASE_TMP/fx-rates.yaml" > /dev/null

# Entries written offline serve the runs with --registry.
step validate --cache reader.yaml "$CASE_TMP/fx-rates.yaml"
step --registry "$R" validate --cache reader.yaml "$CASE_TMP/fx-rates.yaml"
meshctl --registry "$R" deprecate sales/returns --sunset 2099-03-01 --reason "move to sales/order-lines" > /dev/null
meshctl --registry "$R" apply -f "$CASE_TMP/fx-rates.yaml" > /dev/null
step --registry "$R" validate --cache reader.yaml
meshctl --registry "$R" retire sales/refunds --force > /dev/null
step --registry "$R" validate --cache --format json reader.yaml
meshctl --registry "$R" validate --format sarif reader.yaml > "$CASE_TMP/plain" 2>&1
meshctl --registry "$R" validate --cache --format sarif reader.yaml > "$CASE_TMP/cached" 2>&1
cmp "$CASE_TMP/plain" "$CASE_TMP/cached" && echo "sarif: same output with and without --cache"
echo "entries: $(find "$CASE_TMP/.cache/meshctl/validate" -type f ! -name last-prune | wc -l)"
