#!/usr/bin/env python3
"""Writes the committed seed corpora of tests/fuzz/corpus/ from the project's own inputs.

   python3 tests/fuzz/seed_corpus.py [CONFORMANCE_FOLDER]   (Default: ../shared/conformance)

Seeds come from examples/, the golden cases' inputs and the conformance examples (ODPS, ODCS), each at most
MAX_SEED bytes, named by content hash so rerunning changes nothing. Run it when the formats change; commit
what it writes after a look at its size (`du -sh tests/fuzz/corpus`: a few hundred KB at most). scripts/fuzz
never writes here: each run works on a temporary copy.
"""
import hashlib
import json
import pathlib
import sys

import yaml  # python3-yaml, only for turning YAML seeds into the API's JSON seeds

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"
MAX_SEED = 12 * 1024
DIFF_SEPARATOR = b"\n--- new\n"  # kSeparator of fuzz_diff.cpp


# Hand-written seeds for what the project's files do not show: every check of a custom rule, overrides,
# given paths with [*] and [N]; usage lines of every kind and the mistakes the parser names.
STANDARDS_SEEDS = [
    """apiVersion: meshctl/v1
kind: Standards
extends: none
rules:
  MESH-DESCRIPTION: { severity: warning, params: { minLength: 20 } }
  MESH-TITLE: off
  MESH-DOMAIN-FORMAT: { severity: error, params: { allowed: [sales, finance] } }
custom:
  - id: ACME-COST-CENTER
    severity: error
    message: cost center
    given: metadata.labels
    check: { field: cost-center, required: true, pattern: "^cc-[0-9]{4}$" }
  - id: ACME-FIELD-CASE
    message: field names are snake_case
    given: spec.outputPorts[*].schema.fields[*].name
    check: { casing: snake, minLength: 2, maxLength: 40 }
  - id: ACME-FIRST-PORT
    severity: info
    message: the first port is a table
    given: spec.outputPorts[0].type
    check: { enum: [table, topic] }
  - id: ACME-NO-TMP
    message: no temporary tags
    given: metadata.tags[*]
    check: { forbidden: [tmp, test] }
overrides:
  - domains: [finance, sales]
    rules: { ACME-COST-CENTER: { severity: warning }, MESH-TITLE: off }
  - domains: [sales]
    rules: { MESH-NAME-FORMAT: info }
""",
    "apiVersion: meshctl/v1\nkind: Standards\nextends: default\n",
    "apiVersion: meshctl/v1\nkind: Standards\ncustom:\n  - { id: A, message: m, given: a, check: { field: b } }\n",
]
USAGE_SEEDS = [
    '{"id": "e-1", "time": "2026-11-23T10:00:00Z", "product": "sales/orders", "port": "orders-table", '
    '"consumer": "finance-dashboard", "operation": "read", "rows": 120, "bytes": 40960, "version": "1.2.0"}\n'
    '{"time": "2026-11-23T10:05:00+02:00", "product": "sales/orders", "port": "orders-table", '
    '"updatedAt": "2026-11-23T10:00:00Z"}\n\n'
    '{"type": "freshness", "time": "2026-11-23T10:05:00Z", "product": "sales/orders", "port": "p", '
    '"updatedAt": "2026-11-23T09:00:00.5Z"}\n',
    '{"type": "usage", "id": "e-2", "time": "2026-02-30T10:00:00Z", "product": "orders", "port": "p", '
    '"consumer": "c", "rows": -1}\n[1, 2]\nnot json\n{"id": "e-3", "nested": {"a": [1, {"b": null}]}, '
    '"time": "2026-11-23T10:00:00Z", "product": "a/b", "port": "p", "consumer": "c", "bytes": 1.5}\r\n',
]


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_SEED:
        return
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def yaml_files(*folders):
    for folder in folders:
        yield from sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def kind_of(path):
    text = path.read_bytes()
    if b"kind: Standards" in text:
        return "standards"
    if b"kind: DataProduct" in text:
        return "manifest"
    return "other"


def main():
    conformance = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "conformance"
    golden = ROOT / "tests" / "golden" / "cases"
    examples = ROOT / "examples"

    manifests = []
    for path in yaml_files(examples, golden):
        kind = kind_of(path)
        if kind == "standards" or path.name == "standards.yaml":
            write("fuzz_standards", path.read_bytes())
        else:
            write("fuzz_manifest", path.read_bytes())
            if kind == "manifest":
                manifests.append(path)
    for stdin in sorted(golden.glob("*/stdin")):
        write("fuzz_manifest", stdin.read_bytes())
    write("fuzz_standards", (ROOT / "bench" / "standards.yaml").read_bytes())
    for seed in STANDARDS_SEEDS:
        write("fuzz_standards", seed)
    # Manifests of other formats: the loader and the structural check meet foreign keys and styles.
    for path in yaml_files(conformance):
        write("fuzz_manifest", path.read_bytes())

    # diff: the golden cases' pairs, each product against itself, and neighbours (different products).
    for case in sorted(golden.iterdir()):
        sides = sorted(p for p in case.glob("*.yaml") if kind_of(p) == "manifest")
        for old, new in zip(sides, sides[1:]):
            write("fuzz_diff", old.read_bytes() + DIFF_SEPARATOR + new.read_bytes())
    products = sorted((examples / "products").rglob("*.yaml"))
    for path in products:
        write("fuzz_diff", path.read_bytes())
    for old, new in zip(products, products[1:]):
        write("fuzz_diff", old.read_bytes() + DIFF_SEPARATOR + new.read_bytes())

    # The API's JSON: bare manifests, POST /v1/products, /v1/plans and /v1/plans/execute bodies.
    documents = [yaml.safe_load(p.read_text()) for p in products]
    for document in documents:
        write("fuzz_json_manifest", json.dumps(document, sort_keys=True, separators=(",", ":")))
        write("fuzz_json_manifest", json.dumps({"mode": "apply", "manifest": document}))
    write("fuzz_json_manifest", json.dumps({"mode": "create", "manifests": documents[:3]}))
    items = [{"change": {"product": f"{d['metadata']['domain']}/{d['metadata']['name']}", "action": "created",
                         "version": d["metadata"]["version"], "revision": 1}, "manifest": d} for d in documents[:2]]
    write("fuzz_json_manifest", json.dumps({"mode": "apply", "items": items}))

    # The server: '0', '1' or '2' (no token, the admin's, a wrong one; see fuzz_server.cpp), then a raw request.
    product = documents[0]
    ref = f"{product['metadata']['domain']}/{product['metadata']['name']}"
    version = product["metadata"]["version"]
    port = product["spec"]["outputPorts"][0]["name"]
    usage_lines = USAGE_SEEDS[0]
    requests = [
        ("0", "GET", "/healthz", None, None),
        ("0", "GET", "/readyz", None, None),
        ("0", "GET", "/v1/products", None, None),
        ("2", "GET", "/v1/domains", None, None),
        ("1", "POST", "/v1/products", "application/json", json.dumps({"mode": "apply", "manifest": product})),
        ("1", "POST", "/v1/plans", "application/json", json.dumps({"mode": "apply", "manifests": documents[:2]})),
        ("1", "POST", "/v1/plans/execute", "application/json", json.dumps({"mode": "apply", "items": items[:1]})),
        ("1", "GET", "/v1/products?domain=sales&status=active&label=tier%3Dsilver&limit=2&after=sales/a", None, None),
        ("1", "GET", f"/v1/products/{ref}", None, None),
        ("1", "GET", f"/v1/products/{ref}/details?version={version}", None, None),
        ("1", "GET", f"/v1/products/{ref}/versions", None, None),
        ("1", "GET", f"/v1/products/{ref}/versions/{version}", None, None),
        ("1", "GET", f"/v1/products/{ref}/history?limit=5", None, None),
        ("1", "GET", f"/v1/products/{ref}/dependencies", None, None),
        ("1", "GET", f"/v1/products/{ref}/dependents", None, None),
        ("1", "POST", f"/v1/products/{ref}/deprecate", "application/json",
         json.dumps({"sunset": "2027-01-31", "reason": "replaced", "expectedRevision": 1})),
        ("1", "POST", f"/v1/products/{ref}/retire", "application/json",
         json.dumps({"force": True, "reason": "gone", "quietDays": 0})),
        ("1", "POST", "/v1/domains", "application/json", json.dumps({"name": "logistics", "ownerTeam": "ops"})),
        ("1", "POST", "/v1/tokens", "application/json",
         json.dumps({"name": "ci", "role": "writer", "domains": ["sales"]})),
        ("1", "GET", "/v1/tokens", None, None),
        ("1", "DELETE", "/v1/tokens/ci", None, None),
        ("1", "POST", "/v1/usage?firstLine=3", "application/x-ndjson", usage_lines),
        ("1", "POST", "/v1/usage", "application/json", json.dumps({"lines": usage_lines, "firstLine": 2})),
        ("1", "GET", f"/v1/products/{ref}/usage?since=30d", None, None),
        ("1", "GET", "/v1/subscriptions", None, None),
        ("1", "POST", f"/v1/products/{ref}/subscriptions", "application/json",
         json.dumps({"consumer": "dash", "team": "bi", "port": port, "version": "^1",
                     "purpose": "reports"})),
        ("1", "DELETE", f"/v1/products/{ref}/subscriptions/dash?port={port}", None, None),
        ("1", "GET", f"/v1/lineage?product={ref}&direction=both&depth=3", None, None),
        ("2", "POST", "/v1/domains", "application/json", json.dumps({"name": 1, "ownerTeam": []})),
    ]
    for token, method, path, content_type, body in requests:
        head = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n"
        if body is not None:
            head += f"Content-Type: {content_type}\r\nContent-Length: {len(body.encode())}\r\n"
        write("fuzz_server", f"{token}{head}\r\n{body or ''}")
    chunked = '{"name": "hr", "ownerTeam": "people"}'
    write("fuzz_server", "1POST /v1/domains HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                         f"Transfer-Encoding: chunked\r\n\r\n{len(chunked):x}\r\n{chunked}\r\n0\r\n\r\n")

    # Usage events: the golden case's file, a few lines at a time.
    for path in sorted(golden.rglob("*.jsonl")):
        lines = path.read_bytes().splitlines(keepends=True)
        for start in range(0, len(lines), 4):
            write("fuzz_usage_events", b"".join(lines[start:start + 4]))
    for seed in USAGE_SEEDS:
        write("fuzz_usage_events", seed)


if __name__ == "__main__":
    main()
