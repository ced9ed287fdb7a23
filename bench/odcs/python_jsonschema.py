#!/usr/bin/env python3
"""The peer of `meshctl validate` on ODCS documents: Python's jsonschema (Debian python3-jsonschema, the
Draft201909Validator) on each file, against the schema of the version it declares, as meshctl picks it
(lib/src/interop/documents.cpp). YAML is read by PyYAML with dates kept as strings, as YAML 1.2 (and
meshctl) reads them: PyYAML's YAML 1.1 dates would fail the schema.

    python_jsonschema.py SCHEMA_DIR FILE...   prints "FILE: N errors" per file; exit 1 when any has one
"""
import json
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    pass


# No timestamps: a date stays a string.
Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def schema_file(document):
    declared = str(document.get("apiVersion", ""))
    if document.get("kind") == "DataContract":
        line = {"v2.2": "v2.2.2", "v3.0": "v3.0.2", "v3.1": "v3.1.0"}.get(declared[:4], "v2.2.2" if not declared else None)
        return line and f"odcs/odcs-json-schema-{line}.json"
    return f"odps/odps-json-schema-{declared}.json"


def main():
    schema_dir, files = sys.argv[1], sys.argv[2:]
    validators = {}
    failed = False
    for name in files:
        with open(name, encoding="utf-8") as f:
            document = yaml.load(f, Loader=Yaml12Loader)
        path = schema_file(document)
        if path not in validators:
            with open(f"{schema_dir}/{path}", encoding="utf-8") as f:
                validators[path] = jsonschema.Draft201909Validator(json.load(f))
        errors = list(validators[path].iter_errors(document))
        failed = failed or bool(errors)
        print(f"{name}: {len(errors)} errors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
