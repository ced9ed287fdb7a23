# apply takes ODCS contracts and ODPS products (with the contracts their ports name, found in the product's
# folder tree); the registry keeps the documents, and get manifest gives back any of the three formats.
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
R="--registry $CASE_TMP/r.db"
meshctl $R standards publish platform.yaml >/dev/null 2>&1 || echo "standards publish failed"
step $R apply -f orders.odcs.yaml
step $R get manifest sales/orders --format odcs
step $R get manifest sales/orders@1.0.0 --format native
step $R apply -f shop
step $R get manifest shop/baskets --format odps
step $R get manifest shop/baskets --format odcs -o json
step $R export shop/baskets --format odcs
step $R apply -f orders.odcs.yaml
step $R apply -f missing/product.odps.yaml
step $R apply -f bad/invoices.odcs.yaml
step validate bad/invoices.odcs.yaml
step $R get manifest sales/nope --format odcs
