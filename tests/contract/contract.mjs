#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright 2026 The Tandem authors
//
// Contract test: Tandem's GraphQL documents, the variables it actually sends
// and the fake Shopify's answers, checked against Shopify's published Admin
// API schema (from the npm package @shopify/dev-mcp, dist/data/admin_<version>.json.gz).
//
//   node contract.mjs --source <project root> [--test-binary <test-shopify-…>]…
//                     [--api-version 2026-10] [--cache <dir>]
//
// Each --test-binary (repeatable) is run with TDM_SHOPIFY_LOG set; the
// requests all of them logged are checked together.
//
// Exit 0: all good; 1: contract violations; 77: cannot run here (no npm
// registry, no tar): meson reports the test as skipped.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const SKIP = 77;
const here = path.dirname(fileURLToPath(import.meta.url));

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

// Every value of a repeated option, in order.
function args(name) {
  const values = [];
  process.argv.forEach((a, i) => {
    if (a === `--${name}` && i + 1 < process.argv.length) values.push(process.argv[i + 1]);
  });
  return values;
}

const source = path.resolve(arg('source', path.join(here, '..', '..')));
const apiVersion = arg('api-version', '2026-10');
const testBinaries = args('test-binary');
const cache = path.resolve(arg('cache', process.env.TDM_CONTRACT_CACHE
  || (process.env.XDG_CACHE_HOME && !process.env.XDG_CACHE_HOME.includes('/.dirs/')
      ? path.join(process.env.XDG_CACHE_HOME, 'tandem-contract') : path.join(here, '.cache'))));
const docDir = path.join(source, 'src', 'connectors', 'shopify', 'graphql');

function skip(reason) {
  console.log(`SKIP: ${reason}`);
  process.exit(SKIP);
}

function run(cmd, args, options = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300000, ...options });
}

// ---- Fetch the schema and graphql-js (cached) ----

fs.mkdirSync(cache, { recursive: true });
const schemaFile = path.join(cache, `admin_${apiVersion}.json.gz`);
if (!fs.existsSync(schemaFile)) {
  let tarball;
  try {
    const out = run('npm', ['pack', '@shopify/dev-mcp', '--pack-destination', cache, '--silent'], { cwd: cache });
    tarball = path.join(cache, out.toString().trim().split('\n').pop());
  } catch (e) {
    skip(`npm pack @shopify/dev-mcp failed (no npm registry?): ${(e.stderr || e.message).toString().split('\n')[0]}`);
  }
  const member = `package/dist/data/admin_${apiVersion}.json.gz`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tdm-contract-'));
  try {
    run('tar', ['xzf', tarball, '-C', tmp, member]);
  } catch (e) {
    skip(`${path.basename(tarball)} has no ${member} (unknown API version ${apiVersion}?)`);
  }
  fs.copyFileSync(path.join(tmp, member), schemaFile);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(tarball, { force: true });
}

const gqlDir = path.join(cache, 'graphql-js');
if (!fs.existsSync(path.join(gqlDir, 'node_modules', 'graphql', 'package.json'))) {
  fs.mkdirSync(gqlDir, { recursive: true });
  fs.writeFileSync(path.join(gqlDir, 'package.json'), '{"name":"tdm-contract-cache","private":true}\n');
  try {
    run('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefix', gqlDir, 'graphql@16']);
  } catch (e) {
    skip(`npm install graphql failed (no npm registry?): ${(e.stderr || e.message).toString().split('\n')[0]}`);
  }
}
const require = createRequire(path.join(gqlDir, 'package.json'));
const g = require('graphql');

const introspection = JSON.parse(zlib.gunzipSync(fs.readFileSync(schemaFile)));
const schema = g.buildClientSchema(introspection.data ?? introspection);

const problems = [];
const fail = (where, message) => problems.push(`${where}: ${message}`);

// ---- 1. Every document ----

const files = fs.readdirSync(docDir).filter((f) => f.endsWith('.graphql')).sort();
const fragments = {};
for (const f of files.filter((f) => f.startsWith('fragment-'))) {
  const text = fs.readFileSync(path.join(docDir, f), 'utf8');
  const m = /fragment\s+(\w+)\s+on/.exec(text);
  if (!m) fail(f, 'a fragment file without a fragment');
  else fragments[m[1]] = text;
}

function withFragments(text) {
  let doc = text;
  for (const [name, frag] of Object.entries(fragments))
    if (text.includes(`...${name}`)) doc += `\n${frag}`;
  return doc;
}

const rules = [...g.specifiedRules, g.NoDeprecatedCustomRule];
const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
let documents = 0;

function validateDocument(where, text) {
  let doc;
  try {
    doc = g.parse(text);
  } catch (e) {
    fail(where, `syntax: ${e.message}`);
    return null;
  }
  for (const e of g.validate(schema, doc, rules)) fail(where, e.message);
  return doc;
}

for (const f of files.filter((f) => !f.startsWith('fragment-'))) {
  const doc = validateDocument(f, withFragments(fs.readFileSync(path.join(docDir, f), 'utf8')));
  documents++;
  if (!doc) continue;
  const ops = doc.definitions.filter((d) => d.kind === g.Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || !ops[0].name) fail(f, 'must hold exactly one named operation');
  else if (`${kebab(ops[0].name.value)}.graphql` !== f)
    fail(f, `operation ${ops[0].name.value} should live in ${kebab(ops[0].name.value)}.graphql`);
}

// Every document is compiled into the GResource.
const gresource = fs.readFileSync(path.join(source, 'src', 'connectors', 'shopify', 'tdm-shopify.gresource.xml'), 'utf8');
for (const f of files)
  if (!gresource.includes(`alias="${f}"`)) fail(f, 'missing from tdm-shopify.gresource.xml');

// ---- 2. The requests of the integration tests ----

let entries = [];
for (const testBinary of testBinaries) {
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tdm-contract-log-')), 'requests.jsonl');
  const res = spawnSync(testBinary, ['--tap'], {
    env: { ...process.env, TDM_SHOPIFY_LOG: logFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 600000,
    maxBuffer: 256 * 1024 * 1024,
  });
  let logged = [];
  if (res.status !== 0)
    fail(path.basename(testBinary), `the integration tests failed (exit ${res.status}); see the 'shopify' suite`);
  if (fs.existsSync(logFile))
    logged = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  if (logged.length === 0) fail(path.basename(testBinary), 'the integration tests logged no requests');
  entries = entries.concat(logged);
}

// Deprecated input fields reached through variables (NoDeprecatedCustomRule only sees literals).
function checkInput(where, type, value) {
  if (value === null || value === undefined) return;
  type = g.getNullableType(type);
  if (g.isListType(type)) {
    for (const v of Array.isArray(value) ? value : [value]) checkInput(where, type.ofType, v);
    return;
  }
  if (g.isInputObjectType(type) && typeof value === 'object') {
    const fields = type.getFields();
    for (const [k, v] of Object.entries(value)) {
      const field = fields[k];
      if (!field) continue; // getVariableValues reports unknown fields
      if (field.deprecationReason) fail(where, `sends deprecated input field ${type.name}.${k}`);
      checkInput(`${where}.${k}`, field.type, v);
    }
  }
}

const leafCheck = {
  String: (v) => typeof v === 'string', ID: (v) => typeof v === 'string',
  Int: (v) => Number.isInteger(v), Float: (v) => typeof v === 'number', Boolean: (v) => typeof v === 'boolean',
};

// The answer matches the selection: no field that was not asked for, none missing,
// no null where the schema says non-null, enum values and scalar kinds as declared.
function checkValue(where, type, node, value, fragMap) {
  if (value === null) {
    if (g.isNonNullType(type)) fail(where, 'null for a non-null field');
    return;
  }
  type = g.getNullableType(type);
  if (g.isListType(type)) {
    if (!Array.isArray(value)) return fail(where, 'expected a list');
    value.forEach((v, i) => checkValue(`${where}[${i}]`, type.ofType, node, v, fragMap));
    return;
  }
  if (g.isEnumType(type)) {
    if (!type.getValue(value)) fail(where, `${JSON.stringify(value)} is not a ${type.name} value`);
    return;
  }
  if (g.isScalarType(type)) {
    const check = leafCheck[type.name] ?? ((v) => typeof v === 'string' || typeof v === 'number');
    if (!check(value)) fail(where, `${JSON.stringify(value)} is not a ${type.name}`);
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return fail(where, `expected a ${type.name} object`);
  // Response key → the field selected and the type it was selected on
  // (a fragment's type condition for fields of interfaces and unions).
  const selected = new Map();
  const collect = (set, on) => {
    for (const sel of set.selections) {
      if (sel.kind === g.Kind.FIELD) selected.set((sel.alias ?? sel.name).value, { sel, on });
      else if (sel.kind === g.Kind.INLINE_FRAGMENT)
        collect(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : on);
      else if (sel.kind === g.Kind.FRAGMENT_SPREAD) {
        const frag = fragMap[sel.name.value];
        collect(frag.selectionSet, schema.getType(frag.typeCondition.name.value));
      }
    }
  };
  collect(node.selectionSet, type);
  for (const key of Object.keys(value))
    if (!selected.has(key)) fail(`${where}.${key}`, `answered but not selected on ${type.name}`);
  for (const [key, { sel, on }] of selected) {
    if (!(key in value)) {
      fail(`${where}.${key}`, 'selected but missing from the answer');
      continue;
    }
    if (sel.name.value === '__typename') continue;
    if (on !== type && !(g.isAbstractType(type) && schema.isSubType(type, on)) && on.name !== type.name)
      fail(`${where}.${key}`, `selected on ${on.name}, which ${type.name} is not`);
    const def = on.getFields()[sel.name.value];
    if (!def) {
      fail(`${where}.${key}`, `${on.name} has no field ${sel.name.value}`);
      continue;
    }
    checkValue(`${where}.${key}`, def.type, sel, value[key], fragMap);
  }
}

let checkedVariables = 0;
let checkedAnswers = 0;
const seenOps = new Set();
for (const entry of entries) {
  const where = `request ${entry.operation}`;
  let doc;
  try {
    doc = g.parse(entry.query);
  } catch (e) {
    fail(where, `unparsable document: ${e.message}`);
    continue;
  }
  const op = doc.definitions.find((d) => d.kind === g.Kind.OPERATION_DEFINITION);
  const fragMap = Object.fromEntries(doc.definitions
    .filter((d) => d.kind === g.Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  seenOps.add(entry.operation);

  const coerced = g.getVariableValues(schema, op.variableDefinitions ?? [], entry.variables ?? {});
  if (coerced.errors) for (const e of coerced.errors) fail(where, `variables: ${e.message}`);
  for (const def of op.variableDefinitions ?? [])
    checkInput(`${where} $${def.variable.name.value}`, g.typeFromAST(schema, def.type),
               (entry.variables ?? {})[def.variable.name.value]);
  checkedVariables++;

  // A bulk query travels as a string: validate it as a document too.
  if (entry.operation === 'BulkRun' && entry.variables?.query)
    validateDocument(`${where} (bulk query)`, entry.variables.query);
  // So does a bulk mutation's document.
  if (entry.operation === 'BulkRunMutation' && entry.variables?.mutation)
    validateDocument(`${where} (bulk mutation)`, entry.variables.mutation);

  const response = entry.response;
  if (entry.status === 200 && response && response.data && !entry.throttled) {
    const root = op.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
    checkValue(`${where} data`, root, op, response.data, fragMap);
    const cost = response.extensions?.cost;
    if (!cost || typeof cost.requestedQueryCost !== 'number' || !cost.throttleStatus)
      fail(where, 'answer without extensions.cost.throttleStatus');
    checkedAnswers++;
  }
}

// Every operation Tandem ships was exercised by the integration tests.
if (testBinaries.length > 0) {
  const bulkDocs = new Set(['BulkCustomers', 'BulkProducts', 'BulkOrders']);
  for (const f of files.filter((f) => !f.startsWith('fragment-'))) {
    const name = fs.readFileSync(path.join(docDir, f), 'utf8').match(/(?:query|mutation)\s+(\w+)/)?.[1];
    if (name && !bulkDocs.has(name) && !seenOps.has(name))
      console.log(`note: ${name} was not exercised by the integration tests`);
  }
}

console.log(`contract: schema admin_${apiVersion}, ${documents} documents, ${checkedVariables} requests' variables, ` +
            `${checkedAnswers} answers checked`);
if (problems.length) {
  for (const p of problems.slice(0, 200)) console.log(`FAIL ${p}`);
  console.log(`${problems.length} contract violation(s)`);
  process.exit(1);
}
console.log('contract: OK');
