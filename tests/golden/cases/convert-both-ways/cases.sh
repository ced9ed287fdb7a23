# meshctl convert: ODCS, ODPS and native manifests both ways, losslessly; one document to stdout, several to
# --out DIR; the errors (unknown --to, several documents without --out DIR, a missing contract, an unreadable file).
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
step convert contract.odcs.yaml --to native
step convert contract.odcs.yaml --to native --out $CASE_TMP/native.yaml
step convert $CASE_TMP/native.yaml --to odcs
step convert shop/product.odps.yaml --to native
step convert orders.yaml --to odps
step convert orders.yaml --to odps --out $CASE_TMP/exported/
ls $CASE_TMP/exported
cat $CASE_TMP/exported/sales.orders.odps.yaml
echo "== customer_email's glossary term, in its ODCS contract"; grep -A2 "authoritativeDefinitions" $CASE_TMP/exported/sales.orders.orders-table.odcs.yaml
step convert $CASE_TMP/exported/sales.orders.odps.yaml --to native --out $CASE_TMP/back.yaml
meshctl convert orders.yaml --to native > $CASE_TMP/orders-canonical.yaml
cmp $CASE_TMP/back.yaml $CASE_TMP/orders-canonical.yaml && echo "orders.yaml -> ODPS -> native: the same product"
step convert missing/product.odps.yaml --to native
step convert orders.yaml --to xml
step convert no-such-file.yaml --to native
# A manifest's extensions: map goes through the registry untouched.
{ sed '/^  inputPorts:/,/^  outputPorts:/{/^  outputPorts:/!d}' orders.yaml; printf 'extensions:\n  odcs:\n    - {op: add, path: /contractCreatedTs, value: "2024-01-01"}\n'; } > $CASE_TMP/ext.yaml
meshctl --registry $CASE_TMP/r.db apply -f customer-terms.yaml -f $CASE_TMP/ext.yaml >/dev/null 2>&1; echo "[apply exit $?]"
meshctl --registry $CASE_TMP/r.db describe sales/orders -o json 2>&1 | grep -c '/contractCreatedTs'
