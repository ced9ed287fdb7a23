# Registry paths that cannot hold a registry: each refused with its cause, exit 6.
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com -f "$CASE_TMP/orders.yaml" >/dev/null
mkdir "$CASE_TMP/folder.db"
step --registry "$CASE_TMP/folder.db" get products
step --registry "$CASE_TMP/missing/registry.db" apply -f "$CASE_TMP/orders.yaml"
[ -e "$CASE_TMP/missing" ] || echo "the folder missing was not created"
head -c 8192 /dev/zero | tr '\0' 'x' > "$CASE_TMP/random.db"
step --registry "$CASE_TMP/random.db" get products
# A registry cut in half: a read of what was cut off says the file is corrupt.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
mkdir "$CASE_TMP/many"
for name in a b c d e f g h i j k l m n o p q r s t u v w x y z; do
  sed "s/^  name: orders/  name: orders-$name/" "$CASE_TMP/orders.yaml" > "$CASE_TMP/many/orders-$name.yaml"
done
meshctl apply -f "$CASE_TMP/many" >/dev/null
size=$(stat -c %s "$CASE_TMP/registry.db")
truncate -s $((size / 2)) "$CASE_TMP/registry.db"
step get products
step registry check
