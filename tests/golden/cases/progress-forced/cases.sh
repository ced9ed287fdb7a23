# Progress goes to stderr only when it is a terminal; MESHCTL_PROGRESS=always forces it here (a pipe).
mkdir -p "$CASE_TMP/products"
i=0
while [ $i -lt 200 ]; do
  cat > "$CASE_TMP/products/p$i.yaml" <<YAML
apiVersion: meshctl/v1
kind: DataProduct
metadata:
  name: p$i
  domain: bulk
  version: 1.0.0
  title: Bulk product $i
  description: One row per item of the bulk product $i, refreshed every hour.
  owner: { team: bulk-data, email: bulk@example.com }
spec:
  outputPorts:
    - name: items
      type: table
      format: parquet
      location: s3://bulk/p$i/
      schema:
        fields:
          - { name: item_id, type: string, required: true, description: Item key, classification: internal }
      slo: { freshness: 1h, availability: "99.9%" }
YAML
  i=$((i + 1))
done
echo "== a pipe: no progress"
meshctl --registry "$CASE_TMP/a.db" apply -f "$CASE_TMP/products" --dry-run 2>&1 >/dev/null | tr -cd "\r\033" | wc -c
echo "== MESHCTL_PROGRESS=always: the lines drawn (the last count always), and erased"
MESHCTL_PROGRESS=always meshctl --registry "$CASE_TMP/b.db" apply -f "$CASE_TMP/products" 2>&1 >/dev/null \
  | tr '\r' '\n' | sed 's/\x1b\[K//g' | grep -E '^(checking 200/200|planning|writing)'
MESHCTL_PROGRESS=always meshctl --registry "$CASE_TMP/c.db" apply -f "$CASE_TMP/products" 2>&1 >/dev/null \
  | tail -c 4 | od -An -c | tr -s ' '
echo "== usage report of 10,000 lines: one line while the events are ingested"
python3 -c '
for i in range(10000):
    print("{\"id\":\"e%d\",\"time\":\"2026-11-23T10:00:00Z\",\"product\":\"bulk/p1\",\"port\":\"items\",\"consumer\":\"c\",\"operation\":\"read\"}" % i)
' > "$CASE_TMP/events.jsonl"
MESHCTL_PROGRESS=always meshctl --registry "$CASE_TMP/c.db" usage report -f "$CASE_TMP/events.jsonl" 2>&1 >/dev/null \
  | tr '\r' '\n' | sed 's/\x1b\[K//g' | grep -v '^$'
meshctl --registry "$CASE_TMP/c.db" usage report -f "$CASE_TMP/events.jsonl" 2>&1 >/dev/null | tr -cd "\r\033" | wc -c
echo "== catalog export: a count of the product pages written, the last one always"
MESHCTL_PROGRESS=always meshctl --registry "$CASE_TMP/c.db" catalog export "$CASE_TMP/site" 2>&1 >/dev/null \
  | tr '\r' '\n' | sed 's/\x1b\[K//g' | grep -E '^writing product pages 200/200$'
meshctl --registry "$CASE_TMP/c.db" catalog export "$CASE_TMP/site2" 2>&1 >/dev/null | tr -cd "\r\033" | wc -c
