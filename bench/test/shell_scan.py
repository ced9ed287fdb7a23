#!/usr/bin/env python3
"""Prints the scan that `meshctl test -o json` ran on an SQLite table, in SQL the sqlite3 shell runs itself.

meshctl registers a few SQL functions for the checks the engine lacks (meshctl_fits: does a value parse as
the declared type; meshctl_number; meshctl_search: an RE2 pattern). The floor of bench/test replaces each with
the nearest built-in expression, so that the shell does the same scan with the same aggregates.
usage: meshctl test ... -o json | shell_scan.py
"""
import json
import re
import sys

FITS = {
    "string": "({0} IS NULL OR typeof({0}) = 'text')",
    "date": "({0} IS NULL OR date({0}) IS NOT NULL)",
    "timestamp": "({0} IS NULL OR datetime({0}) IS NOT NULL)",
    "decimal": "({0} IS NULL OR CAST({0} AS REAL) || '' <> '' )",
    "double": "({0} IS NULL OR CAST({0} AS REAL) || '' <> '' )",
    "integer": "({0} IS NULL OR CAST({0} AS INTEGER) = {0})",
    "long": "({0} IS NULL OR CAST({0} AS INTEGER) = {0})",
    "boolean": "({0} IS NULL OR lower({0}) IN ('true', 'false', '1', '0'))",
}


def rewrite(scan: str) -> str:
    scan = re.sub(r"meshctl_fits\('(\w+)', (\"[^\"]+\")\)",
                  lambda m: FITS.get(m.group(1), "({0} IS NULL OR 1)").format(m.group(2)), scan)
    scan = re.sub(r"meshctl_number\((\"[^\"]+\")\)", r"CAST(\1 AS REAL)", scan)
    scan = re.sub(r"meshctl_search\(('(?:[^']|'')*'), (\"[^\"]+\")\)", r"(\2 REGEXP \1)", scan)
    if "meshctl_" in scan:
        sys.exit(f"shell_scan.py: a meshctl function has no rewrite yet: {scan}")
    return scan + ";"


run = json.load(sys.stdin)
for port in run["ports"]:
    print(rewrite(port["scan"]))
