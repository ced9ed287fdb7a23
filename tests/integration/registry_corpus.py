"""Small valid data-product manifests for the registry's process tests and bench/registry.

Each manifest has the shape of examples/products/sales/orders.yaml without input ports: one
output port, two fields, an SLO and a quality rule, so it passes the built-in standards.
Standard library only.
"""

import os

MANIFEST = """\
apiVersion: meshctl/v1
kind: DataProduct
metadata:
  name: {name}
  domain: {domain}
  version: {version}
  title: Generated product {name}
  description: {description}
  owner: {{ team: {domain}-data, email: {domain}-data@example.com }}
  tags: [generated]
  labels: {{ tier: silver, cost-center: cc-{cost_center} }}
spec:
  compatibility: forward
  outputPorts:
    - name: {name}-table
      type: table
      format: parquet
      location: s3://{domain}/{name}/
      schema:
        fields:
          - {{ name: row_id, type: string, required: true, unique: true, description: Key of the row, classification: internal }}
          - {{ name: amount, type: decimal, required: true, description: Gross amount in EUR, classification: internal }}
      slo: {{ freshness: 1h, availability: "99.9%" }}
      quality:
        - {{ rule: not_null, field: row_id }}
        - {{ rule: row_count, min: 1 }}
"""


def manifest(domain, name, version="1.0.0", variant="first"):
    """The YAML text of one product; `variant` changes only its description."""
    description = f"Generated rows of {domain}/{name} for registry tests, variant {variant}."
    cost_center = sum(map(ord, domain + name)) % 9000 + 1000
    return MANIFEST.format(domain=domain, name=name, version=version, description=description,
                           cost_center=cost_center)


def write_manifest(folder, domain, name, version="1.0.0", variant="first"):
    """Writes FOLDER/DOMAIN--NAME.yaml and returns its path."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{domain}--{name}.yaml")
    with open(path, "w", encoding="utf-8") as out:
        out.write(manifest(domain, name, version, variant))
    return path


def product_name(index):
    return f"p{index:06d}"


def domain_name(index, per_domain):
    return f"d{index // per_domain:03d}"


def write_products(folder, first, count, per_domain=1000):
    """Writes products first..first+count-1 (product i lives in domain i // per_domain)."""
    for index in range(first, first + count):
        write_manifest(folder, domain_name(index, per_domain), product_name(index))
