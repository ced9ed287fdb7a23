#!/usr/bin/env python3
"""`meshctl export` checked by the tools of each format's own world (issue 17, "Export").

Usage: export_formats.py MESHCTL   (under postgres_cluster.py, which sets MESHCTL_TEST_POSTGRES_URL)

For every product of examples/ and a product written to be awkward (quotes, markup, nested records, enums):
- jsonschema: ajv (Debian's node-ajv) accepts the schema and compiles it; it accepts a record that keeps
  the manifest's promises and refuses one that breaks them;
- avro: Apache Avro's Python library (Debian's python3-avro) parses the schema;
- sql: SQLite runs the --dialect sqlite DDL, PostgreSQL the default one (each product in a schema of its
  own), and the tables refuse a NULL in a required column.
"""

import glob
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AWKWARD = """apiVersion: meshctl/v1
kind: DataProduct
metadata:
  name: awkward
  domain: qa
  version: 1.0.0
  description: "Quotes ' and \\" and <script>alert(1)</script>"
  owner: { team: qa, email: qa@example.com }
spec:
  outputPorts:
    - name: it's-a-port
      description: "a port's description, with 'quotes'"
      schema:
        fields:
          - { name: id, type: long, required: true, unique: true, description: "the \\"id\\"" }
          - { name: status, type: string, required: true, enum: [open, closed], description: it's }
          - { name: level, type: integer, enum: [1, 2, 3], description: a level }
          - { name: paid, type: boolean, description: paid }
          - { name: at, type: timestamp, required: true, description: when }
          - name: lines
            type: array
            description: order lines
            fields:
              - { name: sku, type: string, required: true, description: sku }
              - { name: qty, type: integer, description: quantity }
          - name: address
            type: object
            description: where
            fields:
              - { name: country, type: string, required: true, description: country }
"""

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def export(meshctl, manifest, fmt, *extra):
    result = subprocess.run([meshctl, "export", manifest, "--format", fmt, *extra], capture_output=True, text=True)
    if result.returncode != 0:
        check(False, f"{os.path.basename(manifest)} --format {fmt}: exit {result.returncode}: {result.stderr}")
        return None
    return result.stdout


AJV = """
const Ajv = require('ajv');
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const ajv = new Ajv({allErrors: true});
if (!ajv.validateSchema(input.schema)) { console.log(JSON.stringify(ajv.errors)); process.exit(1); }
const validate = ajv.compile(input.schema);
const verdicts = input.records.map(record => validate(record));
console.log(JSON.stringify(verdicts));
"""


def ajv(schema, records):
    env = dict(os.environ, NODE_PATH="/usr/share/nodejs")
    result = subprocess.run(["node", "-e", AJV], input=json.dumps({"schema": schema, "records": records}),
                            capture_output=True, text=True, env=env)
    return result.returncode, result.stdout.strip() or result.stderr.strip()


def avro_parses(schema_text):
    # Debian's python3-avro is installed for Debian's interpreter, which may not be the one running this.
    result = subprocess.run(["/usr/bin/python3", "-c", "import avro.schema, sys; avro.schema.parse(sys.stdin.read())"],
                            input=schema_text, capture_output=True, text=True)
    return result.returncode == 0, result.stderr.strip().splitlines()[-1:] if result.stderr else ""


def psql(url, script):
    result = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-X", "-f", "-"], input=script,
                            capture_output=True, text=True)
    return result.returncode == 0, result.stderr.strip()


def main():
    with tempfile.TemporaryDirectory() as work:
        return check_exports(sys.argv[1], work)


def check_exports(meshctl, work):
    url = os.environ.get("MESHCTL_TEST_POSTGRES_URL")
    awkward = os.path.join(work, "awkward.yaml")
    with open(awkward, "w", encoding="utf-8") as out:
        out.write(AWKWARD)
    # Products only: a glossary (kind: Glossary) has no output ports to export.
    products = [path for path in sorted(glob.glob(os.path.join(REPOSITORY, "examples", "products", "*", "*.yaml")))
                if "\nkind: Glossary\n" not in open(path, encoding="utf-8").read()]
    manifests = products + [awkward]
    for number, manifest in enumerate(manifests):
        name = os.path.relpath(manifest, REPOSITORY) if manifest != awkward else "awkward.yaml"
        text = export(meshctl, manifest, "jsonschema")
        if text is not None:
            code, verdict = ajv(json.loads(text), [])
            check(code == 0, f"{name}: ajv accepts and compiles the JSON Schema {verdict if code else ''}")
        text = export(meshctl, manifest, "avro")
        if text is not None:
            parsed, error = avro_parses(text)
            check(parsed, f"{name}: Apache Avro parses the schema {error if not parsed else ''}")
        text = export(meshctl, manifest, "sql", "--dialect", "sqlite")
        if text is not None:
            try:
                sqlite3.connect(":memory:").executescript(text)
                check(True, f"{name}: SQLite runs the DDL")
            except sqlite3.Error as error:
                check(False, f"{name}: SQLite runs the DDL: {error}")
        text = export(meshctl, manifest, "sql")
        if text is not None and url:
            ok, error = psql(url, f"CREATE SCHEMA export_{number};\nSET search_path TO export_{number};\n{text}")
            check(ok, f"{name}: PostgreSQL runs the DDL {error}")
        text = export(meshctl, manifest, "markdown")
        check(text is not None and text.startswith("# "), f"{name}: a Markdown page")

    # The awkward product's schema, as ajv applies it to records.
    schema = json.loads(export(meshctl, awkward, "jsonschema"))
    good = {"id": 1, "status": "open", "level": None, "paid": True, "at": "2026-01-01T00:00:00Z",
            "lines": [{"sku": "a", "qty": 2}], "address": {"country": "DE"}}
    bad = [dict(good, status="lost"), dict(good, id=None), dict(good, lines=[{"qty": 1}]),
           dict(good, address={}), dict(good, level=4), dict(good, at=5)]
    code, verdict = ajv(schema, [good] + bad)
    check(code == 0 and json.loads(verdict) == [True] + [False] * len(bad),
          f"ajv: the schema takes the good record and refuses each broken one ({verdict})")
    ddl = export(meshctl, awkward, "sql", "--dialect", "sqlite")
    database = sqlite3.connect(":memory:")
    database.executescript(ddl)
    try:
        database.execute('INSERT INTO "it\'s-a-port" (id, status, at) VALUES (1, \'lost\', \'x\')')
        check(False, "SQLite: the enum's CHECK refuses a value it does not list")
    except sqlite3.IntegrityError:
        check(True, "SQLite: the enum's CHECK refuses a value it does not list")
    if url:
        ok, error = psql(url, "SET search_path TO export_%d;\nINSERT INTO \"it's-a-port\" (id, status) VALUES (1, 'open');"
                         % (len(manifests) - 1))
        check(not ok and "not-null" in error, f"PostgreSQL: a required column refuses NULL ({error[:80]})")
    else:
        check(False, "MESHCTL_TEST_POSTGRES_URL is set (run under postgres_cluster.py)")

    print(f"{len(failures)} failed" if failures else "every export was accepted")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
