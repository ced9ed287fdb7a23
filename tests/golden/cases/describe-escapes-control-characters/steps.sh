# Text from the registry reaches a terminal with its control characters shown, not acted on. The
# registry here is edited behind meshctl's back, as a registry written by an older or another
# writer could hold it: ESC sequences, BEL, CR, a C1 CSI (U+009B) and a line feed.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
meshctl apply -f revenue.yaml -f costs.yaml > /dev/null
sqlite3 "$CASE_TMP/registry.db" "
  UPDATE versions SET
    manifest = json_set(manifest,
      '$.metadata.title', char(27) || '[31mDaily' || char(27) || '[0m revenue' || char(7),
      '$.metadata.description', 'Revenue per day,' || char(13) || 'OVERWRITTEN' || char(155) || '2J' || char(10) || 'line two'),
    published_by = 'eve' || char(27) || '[2J';
  UPDATE products SET owner_team = 'finance' || char(13) || 'evil' WHERE name = 'revenue';
  UPDATE products SET name = 'costs' || char(27) || '[8m' WHERE name = 'costs';"
step describe finance/revenue
step get products
step get versions finance/revenue
step get products -o json
