#!/usr/bin/env node
// The schema agreement test: every example must be judged the same way by the
// JSON Schema that `meshctl schema` prints (run through ajv, a validator meshctl
// does not share code with) and by `meshctl validate` itself.
//
// usage: node check_agreement.js --schema SCHEMA.json --meshctl MESHCTL PATH...
//
// PATHs are files or folders (searched for *.yaml and *.yml, hidden folders
// skipped, as meshctl does). For each file it prints one line, then
// "N passed, M failed"; the exit code is 1 when any file disagrees.
//
// meshctl's verdict: a file is structurally valid when `meshctl validate
// --format json FILE` reports no diagnostic about that file whose rule starts
// with MESH-SCHEMA- or MESH-YAML- (warnings count: an unknown key is invalid for
// a schema with additionalProperties: false).
//
// ajv's verdict: the file is read as UTF-8 (a byte that is not UTF-8 makes it
// invalid), every YAML document is loaded with js-yaml's CORE_SCHEMA (YAML 1.2
// core, the resolution meshctl uses) with duplicate keys refused, and each must
// be valid against the schema. A file with no document is invalid.
//
// Where the two readers differ by design, this script applies meshctl's loader
// limits before ajv, because JSON Schema cannot express them: nesting deeper
// than 64 collections, and aliases that expand to more than 100,000 nodes (a
// "billion laughs" document: js-yaml shares aliased objects, so loading is
// cheap, but validating the expanded tree would not end).
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const yaml = require('js-yaml');
const Ajv2020 = require('ajv/dist/2020');

// meshctl's defaults (lib/include/meshctl/yaml/loader.h, LoadLimits).
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_DEPTH = 64;
const MAX_ALIAS_NODES = 100000;

function parseArguments(argv) {
  const options = { schema: null, meshctl: null, paths: [] };
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--schema') options.schema = argv[++i];
    else if (argv[i] === '--meshctl') options.meshctl = argv[++i];
    else options.paths.push(argv[i]);
  }
  if (!options.schema || !options.meshctl || options.paths.length === 0) {
    process.stderr.write('usage: node check_agreement.js --schema SCHEMA.json --meshctl MESHCTL PATH...\n');
    process.exit(2);
  }
  return options;
}

function collectFiles(given) {
  const stat = fs.statSync(given);
  if (!stat.isDirectory()) return [given];
  const found = [];
  for (const entry of fs.readdirSync(given, { withFileTypes: true })) {
    const full = path.join(given, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) found.push(...collectFiles(full));
    } else if (/\.ya?ml$/.test(entry.name)) {
      found.push(full);
    }
  }
  return found.sort();
}

// The depth of the deepest collection and the nodes that aliases add, counted
// the way meshctl's loader counts them: a collection reached a second time is
// an alias (js-yaml hands out the anchored object itself), and adds its whole
// subtree. Aliased scalars are copies in js-yaml and are not counted; they add
// one node each and cannot make a document explode on their own.
function measure(root) {
  const sizes = new Map();  // collection -> nodes in its subtree
  const depths = new Map(); // collection -> collections on its deepest path
  const open = new Set();   // collections being measured: a cycle is recursion
  let aliasNodes = 0;
  function visit(value) {
    if (value === null || typeof value !== 'object') return { size: 1, depth: 0 };
    if (open.has(value)) throw new Error('an alias refers to the node that contains it');
    if (sizes.has(value)) {
      aliasNodes += sizes.get(value);
      if (aliasNodes > MAX_ALIAS_NODES) throw new Error(`aliases expand to more than ${MAX_ALIAS_NODES} nodes`);
      return { size: sizes.get(value), depth: depths.get(value) };
    }
    open.add(value);
    let size = 1;
    let depth = 0;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      const measured = visit(child);
      size += measured.size;
      depth = Math.max(depth, measured.depth);
    }
    open.delete(value);
    sizes.set(value, size);
    depths.set(value, depth + 1);
    if (depth + 1 > MAX_DEPTH) throw new Error(`nesting is deeper than ${MAX_DEPTH} levels`);
    return { size, depth: depth + 1 };
  }
  visit(root);
}

function ajvVerdict(file, validate) {
  const bytes = fs.readFileSync(file);
  if (bytes.length > MAX_FILE_BYTES) return { valid: false, why: `limit: ${bytes.length} bytes` };
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);  // drops a leading BOM, as meshctl does
  } catch (e) {
    return { valid: false, why: 'not UTF-8' };
  }
  let documents;
  try {
    documents = yaml.loadAll(text, null, { schema: yaml.CORE_SCHEMA, json: false, filename: file });
  } catch (e) {
    return { valid: false, why: `js-yaml: ${e.reason || e.message}` };
  }
  if (documents.length === 0) return { valid: false, why: 'no document' };
  for (let i = 0; i < documents.length; ++i) {
    const where = documents.length > 1 ? `document ${i + 1}: ` : '';
    try {
      measure(documents[i]);
    } catch (e) {
      return { valid: false, why: `${where}limit: ${e.message}` };
    }
    if (!validate(documents[i])) {
      const error = validate.errors[0];
      return { valid: false, why: `${where}ajv: ${error.instancePath || '/'} ${error.message}` };
    }
  }
  return { valid: true, why: '' };
}

function meshctlVerdict(file, meshctl) {
  const run = spawnSync(meshctl, ['validate', '--format', 'json', file], { encoding: 'utf8' });
  if (run.error || (run.status !== 0 && run.status !== 1)) {
    return { broken: `meshctl exited ${run.status}: ${(run.stderr || String(run.error)).trim()}` };
  }
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch (e) {
    return { broken: `meshctl printed no JSON: ${e.message}` };
  }
  const structural = report.diagnostics.filter(
      (d) => d.file === file && (d.rule.startsWith('MESH-SCHEMA-') || d.rule.startsWith('MESH-YAML-')));
  if (structural.length === 0) return { valid: true, why: '' };
  const first = structural[0];
  return { valid: false, why: `${first.rule} at ${first.line}:${first.column}` };
}

// What the examples' layout promises: products/ are valid, invalid/yaml-* and
// invalid/schema-* are structurally broken (invalid/rule-* break a standards
// rule only, so either verdict is theirs to agree on). Guards against a schema
// or a loader that agrees by rejecting everything.
function expectation(file) {
  const parts = file.split(path.sep);
  if (parts.includes('products')) return true;
  if (parts.includes('invalid') && /^(yaml|schema)-/.test(path.basename(file))) return false;
  return undefined;
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  const schema = JSON.parse(fs.readFileSync(options.schema, 'utf8'));
  // strict: every keyword must be known and used as meant; the scalar type of
  // enum values ("string, number or boolean") is a deliberate union.
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(schema);

  const files = options.paths.flatMap(collectFiles);
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const ours = meshctlVerdict(file, options.meshctl);
    const theirs = ajvVerdict(file, validate);
    const expected = expectation(file);
    let problem = null;
    if (ours.broken) problem = ours.broken;
    else if (ours.valid !== theirs.valid) problem = 'DISAGREE';
    else if (expected !== undefined && expected !== theirs.valid) problem = `UNEXPECTED (expected ${expected ? 'valid' : 'invalid'})`;
    const verdict = (v) => (v.valid ? 'valid' : `invalid (${v.why})`);
    const line = ours.broken ? '' : `meshctl ${verdict(ours)}; ajv ${verdict(theirs)}`;
    if (problem) {
      ++failed;
      console.log(`FAIL ${file}: ${problem} ${line}`);
    } else {
      ++passed;
      console.log(`ok   ${file}: ${line}`);
    }
  }
  if (files.length === 0) {
    console.log('no example files found');
    ++failed;
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main();
