#!/usr/bin/env bash
# Driver of the `schema_agreement` test (tests/CMakeLists.txt): installs ajv and
# js-yaml into tests/schema/node_modules when missing, takes the JSON Schema from
# `meshctl schema` (the test fails when it prints no JSON), and runs
# check_agreement.js over every example.
#
# usage: run_agreement.sh MESHCTL EXAMPLES_DIR
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 MESHCTL EXAMPLES_DIR" >&2
  exit 2
fi
meshctl=$1
examples=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "schema_agreement: $tool is not installed (node >= 18 with npm is needed)" >&2
    exit 1
  fi
done
if [[ ! -f "$here/node_modules/ajv/dist/2020.js" || ! -f "$here/node_modules/js-yaml/package.json" ]]; then
  echo "schema_agreement: installing ajv and js-yaml into $here/node_modules"
  (cd "$here" && npm install --no-audit --no-fund --loglevel=error)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! "$meshctl" schema >"$work/schema.json"; then
  echo "schema_agreement: FAIL \`meshctl schema\` failed" >&2
  exit 1
fi
if ! node -e 'JSON.parse(require("fs").readFileSync(process.argv[1]))' "$work/schema.json"; then
  echo "schema_agreement: FAIL \`meshctl schema\` printed no JSON" >&2
  exit 1
fi

# Relative paths, so the lines name the files as a reader of examples/ would. Not `exec`: the EXIT trap must
# still remove $work.
cd "$examples/.."
node "$here/check_agreement.js" --schema "$work/schema.json" --meshctl "$meshctl" "$(basename "$examples")"
