# product DOMAIN NAME VERSION [PRODUCT CONSTRAINT]...: a manifest on stdout, one input port per PRODUCT CONSTRAINT pair.
domain=$1 name=$2 version=$3
shift 3
cat <<YAML
apiVersion: meshctl/v1
kind: DataProduct
metadata:
  name: $name
  domain: $domain
  version: $version
  title: The $name product
  description: Rows of the $name product, refreshed every hour from its sources.
  owner: { team: $domain-data, email: $domain-data@example.com }
spec:
YAML
if [ $# -gt 0 ]; then
  echo "  inputPorts:"
  i=0
  while [ $# -gt 1 ]; do
    echo "    - { name: in-$i, product: $1, version: \"$2\" }"
    i=$((i + 1))
    shift 2
  done
fi
cat <<YAML
  outputPorts:
    - name: $name-table
      type: table
      format: parquet
      location: s3://$domain/$name/
      schema:
        fields:
          - { name: id, type: string, required: true, description: Key of a row, classification: internal }
      slo: { freshness: 1h, availability: "99%" }
      quality:
        - { rule: not_null, field: id }
YAML
