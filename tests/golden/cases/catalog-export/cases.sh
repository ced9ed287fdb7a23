# meshctl catalog export: the examples as a static site; a page's content between <main> and </main>;
# markup in a manifest stays text; a folder that holds files is refused (exit 4) unless --force.
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
# The rows of "Recently changed" are left out: their order follows the clock's seconds; so is the chart of
# reads per day: its days follow today's date (unit tests pin both).
main_of() {
  echo "--- $1"
  sed -n '/<main id="main">/,/<\/main>/p' "$CASE_TMP/site/$1" | sed '/<caption class="visually-hidden">Products changed last/,/<\/tbody>/d' |
    sed '/<figure class="chart">/,/<\/figure>/d'
}
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
meshctl apply -f ../../../../examples/products hostile.yaml > /dev/null
meshctl deprecate sales/customers --sunset 2099-12-31 --reason "Moved to the CRM <crm/customers>" > /dev/null
# sales/orders needs attention: its data last changed in 2020 (its SLO says 1h), a run of its checks failed
# (a negative amount); the home page says why.
echo '{"type":"freshness","time":"2026-01-01T00:00:00Z","product":"sales/orders","port":"orders-table","updatedAt":"2020-01-01T00:00:00Z"}' |
  meshctl usage report -f - > /dev/null
(head -2 ../../../../examples/data/orders.csv; echo "o-2026-9999,c-101,bob@example.com,2026-02-08,-1.00,EUR") > "$CASE_TMP/orders.csv"
meshctl test sales/orders --source "orders-table=csv:$CASE_TMP/orders.csv" --publish > /dev/null
step catalog export "$CASE_TMP/site"
(cd "$CASE_TMP/site" && find . -type f | sort)
main_of index.html
main_of domains/sales.html
main_of products/sales/orders.html
main_of products/sales/customers.html
main_of products/marketing/hostile.html
main_of glossary.html
main_of terms/customer-email.html
# The downloads beside a product's page are what `meshctl get manifest` prints, a port's ODCS contract each.
same() { if cmp -s "$1" "$2"; then echo "same: ${1#$CASE_TMP/site/}"; else echo "DIFFERENT: ${1#$CASE_TMP/site/}"; fi; }
meshctl get manifest sales/orders > "$CASE_TMP/native.yaml"
meshctl get manifest sales/orders --format odps > "$CASE_TMP/odps.yaml"
meshctl get manifest sales/orders --format odcs > "$CASE_TMP/odcs.yaml"
same "$CASE_TMP/site/products/sales/orders.yaml" "$CASE_TMP/native.yaml"
same "$CASE_TMP/site/products/sales/orders.odps.yaml" "$CASE_TMP/odps.yaml"
same "$CASE_TMP/site/products/sales/orders.odcs.yaml" "$CASE_TMP/odcs.yaml"
meshctl get manifest finance/revenue --format odcs > "$CASE_TMP/revenue.yaml"
(cat "$CASE_TMP/site/products/finance/revenue.odcs.revenue-daily.yaml"; echo ---;
 cat "$CASE_TMP/site/products/finance/revenue.odcs.revenue-api.yaml") > "$CASE_TMP/revenue-ports.yaml"
same "$CASE_TMP/revenue-ports.yaml" "$CASE_TMP/revenue.yaml"
step catalog export "$CASE_TMP/site"
step catalog export "$CASE_TMP/site" --force -o json
step catalog export "$CASE_TMP/site/index.html" --force
step catalog export
step --registry "$CASE_TMP/missing.db" catalog export "$CASE_TMP/other"
