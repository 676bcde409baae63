#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright 2026 The Tandem authors
//
// End-to-end tier: the real `tandem --sync-now` against the Shopify emulator
// (an independent emulation of Shopify's Admin API, built from its published
// schema and rate-limit rules) and the fake webshop with the demo data.
// See docs/shopify.md (pacing, listing) and docs/sync.md (runs).
//
//   node emulator.mjs [--emulator <dir of shopify-emu.mjs>]
//
// Needs TANDEM_BUILD_DIR (meson sets it). The emulator is copied into the
// build tree and its one dependency installed there with npm.
//
// Exit 0: all good; 1: a scenario failed; 77: cannot run here (no node/npm,
// no npm registry, no emulator): meson reports the test as skipped.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const SKIP = 77;
const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(here, '..', '..');

// The demo's secrets (made up, see tests/fakes/sandbox); the emulator's token.
const WEBSHOP_SECRET = 'sandbox-webshop-token-not-a-secret';
const SHOPIFY_TOKEN = 'shpat_test';
const SCHEMA_ID = 'io.github.tandemsync.Tandem';
// One `tandem --sync-now` may take this long (a first sync of the demo data
// at Standard limits takes about 3 minutes).
const RUN_TIMEOUT_MS = 480000;
// Shopify requests a run may make when nothing changed since the last one
// (issue 16: "at most 20 requests on both sides together").
const MAX_QUIET_REQUESTS = 20;

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function skip(reason) {
  console.log(`SKIP: ${reason}`);
  process.exit(SKIP);
}

// TAP-style lines, so build-aux/run-tests.sh counts each check.
let failures = 0;
let checks = 0;
function check(ok, what) {
  checks++;
  console.log(`${ok ? 'ok' : 'not ok'} ${checks} - ${what}`);
  if (!ok) failures++;
}

// ---- Find, copy and install the emulator ----

function findEmulator() {
  const given = arg('emulator', process.env.TDM_SHOPIFY_EMULATOR);
  const candidates = given ? [given] : [
    path.join(source, '..', 'shared', 'shopify-emulator'),
    path.join(source, '..', '..', 'shared', 'shopify-emulator'),
  ];
  for (const dir of candidates)
    if (fs.existsSync(path.join(dir, 'shopify-emu.mjs')))
      return path.resolve(dir);
  skip(`the Shopify emulator is not here (looked in ${candidates.join(', ')}; set TDM_SHOPIFY_EMULATOR)`);
}

function installEmulator(buildDir) {
  const from = findEmulator();
  const to = path.join(buildDir, 'tests', 'emulator', 'shopify-emulator');
  try {
    execFileSync('npm', ['--version'], { stdio: 'ignore' });
  } catch {
    skip('npm is not installed');
  }
  // The shared folder has no write bits: copy the files, then make the copy ours.
  fs.mkdirSync(to, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', to]);
  for (const entry of fs.readdirSync(from)) {
    if (entry === 'node_modules')
      continue;
    fs.rmSync(path.join(to, entry), { recursive: true, force: true });
    fs.cpSync(path.join(from, entry), path.join(to, entry), { recursive: true });
  }
  execFileSync('chmod', ['-R', 'u+w', to]);
  if (!fs.existsSync(path.join(to, 'node_modules', 'graphql', 'package.json'))) {
    try {
      execFileSync('npm', ['install', '--prefix', to, '--no-audit', '--no-fund'],
                   { stdio: ['ignore', 'pipe', 'pipe'], timeout: 180000 });
    } catch (e) {
      skip(`npm install of the emulator's dependency failed (no registry?): ${String(e.stderr || e.message).trim().split('\n').pop()}`);
    }
  }
  return to;
}

// ---- Children ----

const children = [];
process.on('exit', () => { for (const c of children) if (c.exitCode === null) c.kill('SIGTERM'); });

function firstLine(child, what) {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', (line) => { rl.close(); resolve(line); });
    child.once('exit', (code) => reject(new Error(`${what} ended (${code}) before it started`)));
  });
}

async function startEmulator(dir, tmp) {
  const child = spawn(process.execPath,
    [path.join(dir, 'shopify-emu.mjs'), '--port', '0', '--token', SHOPIFY_TOKEN,
     '--bucket', '2000', '--restore', '100', '--log', path.join(tmp, 'shopify.jsonl')],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const info = JSON.parse(await firstLine(child, 'the emulator'));
  return info.shopify;
}

async function startWebshop(buildDir, tmp) {
  const infoFile = path.join(tmp, 'sandbox.json');
  const child = spawn(path.join(buildDir, 'tests', 'fakes', 'sandbox', 'tandem-sandbox'),
    ['--webshop-only', '--info-file', infoFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  for (let i = 0; i < 200 && !fs.existsSync(infoFile); i++) {
    if (child.exitCode !== null)
      throw new Error(`tandem-sandbox ended (${child.exitCode})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return JSON.parse(fs.readFileSync(infoFile, 'utf8')).webshop_url;
}

// ---- Tandem ----

function writeSettings(tmp, webshopUrl, shopifyUrl) {
  const dir = path.join(tmp, 'config', 'glib-2.0', 'settings');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'keyfile'),
    `[${SCHEMA_ID.replaceAll('.', '/')}]\n` +
    `webshop-url='${webshopUrl}'\nwebshop-auth='bearer'\n` +
    `shopify-shop='${shopifyUrl}'\nshopify-auth='token'\n`);
}

function runTandem(buildDir, tmp, label, extraArgs = []) {
  const env = {
    ...process.env,
    GSETTINGS_BACKEND: 'keyfile',
    XDG_CONFIG_HOME: path.join(tmp, 'config'),
    XDG_DATA_HOME: path.join(tmp, 'data'),
    TANDEM_STATE_DIR: path.join(tmp, 'state'),
    TANDEM_CONFIG_DIR: path.join(tmp, 'config', 'tandem'),
    TANDEM_DEMO: '1',
    TANDEM_DEMO_WEBSHOP_SECRET: WEBSHOP_SECRET,
    TANDEM_DEMO_SHOPIFY_SECRET: SHOPIFY_TOKEN,
  };
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(path.join(buildDir, 'src', 'tandem'), ['--sync-now', ...extraArgs],
                        { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const summary = out.split('\n').find((l) => l.startsWith('created=')) || '(no summary)';
      console.log(`${label}: exit ${code ?? signal} in ${seconds} s: ${summary}`);
      for (const line of out.split('\n').filter((l) => l.startsWith('Error:')))
        console.log(`  ${line}`);
      if (err.trim())
        console.log(`  stderr: ${err.trim().split('\n').slice(-5).join('\n  stderr: ')}`);
      resolve({ code, out, summary });
    });
  });
}

function counts(summary) {
  const result = {};
  for (const m of summary.matchAll(/(\w+)=(\d+)/g))
    result[m[1]] = Number(m[2]);
  return result;
}

// ---- The two shops' contents ----

async function getJson(url, init = {}) {
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(`${init.method || 'GET'} ${url}: HTTP ${response.status}`);
  return response.json();
}

async function webshopRecords(webshopUrl, resource) {
  const all = [];
  let cursor = null;
  do {
    const url = `${webshopUrl}/${resource}?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await getJson(url, { headers: { Authorization: `Bearer ${WEBSHOP_SECRET}` } });
    all.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

// What Shopify accepts as an email address, roughly: one @, a dot in the domain.
function validEmail(email) {
  return typeof email === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s.]+$/.test(email);
}

async function emuStats(shopifyUrl) {
  return getJson(`${shopifyUrl}/__emu/stats`);
}

async function resetStats(shopifyUrl) {
  await getJson(`${shopifyUrl}/__emu/stats/reset`, { method: 'POST' });
}

function logStats(label, stats) {
  console.log(`${label}: emulator requests=${stats.requests} throttled=${stats.throttled} ` +
              `writeRequests=${stats.writeRequests} costRequested=${stats.costRequested} ` +
              `costActual=${stats.costActual}`);
}

// ---- Scenarios ----

async function main() {
  const buildDir = process.env.TANDEM_BUILD_DIR;
  if (!buildDir)
    skip('TANDEM_BUILD_DIR is not set (run through meson test)');
  if (!fs.existsSync(path.join(buildDir, 'src', 'tandem')))
    skip('src/tandem is not built');

  const emuDir = installEmulator(buildDir);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-emulator-'));
  try {
    const shopifyUrl = await startEmulator(emuDir, tmp);
    const webshopUrl = await startWebshop(buildDir, tmp);
    writeSettings(tmp, webshopUrl, shopifyUrl);

    // First sync into an empty shop: more than the circuit breaker's 500
    // changes, so it stops with nothing written and asks (README, The
    // circuit breaker); confirmed, it runs.
    const stopped = await runTandem(buildDir, tmp, 'first sync, unconfirmed');
    const stoppedStats = await emuStats(shopifyUrl);
    check(stopped.code === 1 && stoppedStats.writeRequests === 0,
          `the unconfirmed first sync stops before writing (exit ${stopped.code}, ` +
          `writeRequests=${stoppedStats.writeRequests})`);
    await resetStats(shopifyUrl);
    const first = await runTandem(buildDir, tmp, 'first sync', ['--confirm-large-run']);
    const firstStats = await emuStats(shopifyUrl);
    logStats('first sync', firstStats);
    check(first.code === 0, 'the first sync exits 0');
    check((counts(first.summary).created || 0) > 0, 'the first sync creates records');
    // The demo's webshop customers are more than 250 new Shopify records of
    // one kind: they go as one bulk mutation (docs/shopify.md § Bulk
    // mutations), the staged upload and bulkOperationRunMutation checked by
    // the emulator against the schema, and not one customerSet of their own.
    const firstFields = firstStats.byRootField || {};
    console.log(`# first sync by root field: ${JSON.stringify(firstFields)}`);
    check((firstFields.stagedUploadsCreate || 0) >= 1 && (firstFields.bulkOperationRunMutation || 0) >= 1,
          `the first sync writes the customers in bulk (stagedUploadsCreate=${firstFields.stagedUploadsCreate || 0}, ` +
          `bulkOperationRunMutation=${firstFields.bulkOperationRunMutation || 0})`);
    check((firstFields.customerSet || 0) === 0,
          `no customer is written on its own (customerSet=${firstFields.customerSet || 0})`);

    const state = await getJson(`${shopifyUrl}/__emu/state`);
    const shopifyCustomers = state.customers || [];
    const byEmail = new Map();
    for (const c of shopifyCustomers)
      if (c.email)
        byEmail.set(c.email.toLowerCase(), (byEmail.get(c.email.toLowerCase()) || 0) + 1);
    const wanted = (await webshopRecords(webshopUrl, 'customers')).filter((c) => validEmail(c.email));
    const wrong = wanted.filter((c) => byEmail.get(c.email.toLowerCase()) !== 1);
    check(wanted.length > 0 && wrong.length === 0,
          `each of the ${wanted.length} webshop customers with a valid email is in Shopify exactly once` +
          (wrong.length ? ` (not so for ${wrong.length}, e.g. ${wrong.slice(0, 3).map((c) => `${c.id}: ${byEmail.get(c.email.toLowerCase()) || 0}×`).join(', ')})` : ''));

    // Each demo order reached Shopify with its money to the cent, in each
    // side's sense (docs/mapping.md § Money): the emulator's lines before
    // discounts are the webshop's subtotal; discounts, shipping, tax and
    // total are the webshop's.
    const cents = (x) => Math.round(Number(x ?? 0) * 100);
    const shopOrders = new Map((state.orders || []).map((o) => [o.sourceIdentifier, o]));
    const webOrders = (await webshopRecords(webshopUrl, 'orders')).filter((w) => shopOrders.has(w.id));
    const moneyWrong = webOrders.filter((w) => {
      const o = shopOrders.get(w.id);
      return cents(o.lineItemsTotal) !== cents(w.subtotal_price) || cents(o.discounts) !== cents(w.total_discounts)
        || cents(o.shipping) !== cents(w.total_shipping) || cents(o.tax) !== cents(w.total_tax)
        || cents(o.total) !== cents(w.total_price);
    });
    const discounted = webOrders.filter((w) => cents(w.total_discounts) > 0).length;
    check(webOrders.length >= 250 && discounted > 0 && moneyWrong.length === 0,
          `the ${webOrders.length} orders (${discounted} with a discount code) have the webshop's subtotal, ` +
          'discounts, shipping, tax and total in Shopify' +
          (moneyWrong.length ? ` (not so for ${moneyWrong.length}, e.g. ${moneyWrong.slice(0, 2).map((w) => {
            const o = shopOrders.get(w.id);
            return `${w.id}: ${w.subtotal_price}/${w.total_discounts}/${w.total_shipping}/${w.total_tax}/${w.total_price} ` +
                   `vs ${o.lineItemsTotal}/${o.discounts}/${o.shipping}/${o.tax}/${o.total}`;
          }).join(', ')})` : ''));

    // A second run with nothing changed is a fixed point.
    await resetStats(shopifyUrl);
    const second = await runTandem(buildDir, tmp, 'no-change run');
    const secondStats = await emuStats(shopifyUrl);
    logStats('no-change run', secondStats);
    check(second.code === 0, 'the no-change run exits 0');
    check(secondStats.writeRequests === 0,
          `the no-change run writes nothing to Shopify (writeRequests=${secondStats.writeRequests})`);
    const c2 = counts(second.summary);
    check((c2.created || 0) + (c2.updated || 0) === 0, 'the no-change run creates and updates nothing');

    // A quiet hour passes in Shopify (same day): a run with nothing changed
    // costs O(changes). Customers' search filter is day-granular, so
    // listing them in (updatedAt) order re-read every customer touched
    // today (issue 16: 34 pages for 1,000 customers); newest first, the
    // listing stops at the first one older than the watermark.
    await getJson(`${shopifyUrl}/__emu/age`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ms: 3600000 }),
    });
    await resetStats(shopifyUrl);
    const third = await runTandem(buildDir, tmp, 'no-change run after a quiet hour');
    const thirdStats = await emuStats(shopifyUrl);
    logStats('no-change run after a quiet hour', thirdStats);
    const customerPages = (thirdStats.byRootField || {}).customers;
    console.log(`# customers listing requests: ${JSON.stringify(customerPages)}; by root field: ${JSON.stringify(thirdStats.byRootField)}`);
    check(third.code === 0, 'the run after a quiet hour exits 0');
    check(thirdStats.writeRequests === 0, `it writes nothing (writeRequests=${thirdStats.writeRequests})`);
    check(thirdStats.requests <= MAX_QUIET_REQUESTS,
          `it makes at most ${MAX_QUIET_REQUESTS} Shopify requests (made ${thirdStats.requests})`);
    check(customerPages === 1,
          `it reads one page of customers, not every customer touched today (read ${customerPages})`);

    // A product update keeps the metafields the shop keeps on the product
    // itself: productSet replaces a product's whole metafield list with the
    // one it is given (docs/shopify.md § Upserts by custom id).
    const linked = ((await getJson(`${shopifyUrl}/__emu/state`)).products || [])
      .find((p) => (p.metafields || []).some((m) => m.key === 'webshop_id'));
    check(linked !== undefined, 'a product in Shopify names its webshop twin');
    if (linked !== undefined) {
      const twin = linked.metafields.find((m) => m.key === 'webshop_id').value;
      const set = await getJson(`${shopifyUrl}/admin/api/2026-10/graphql.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': SHOPIFY_TOKEN },
        body: JSON.stringify({
          query: 'mutation M($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }',
          variables: { m: [{ ownerId: linked.id, namespace: 'custom', key: 'material',
                             type: 'single_line_text_field', value: 'Ull' }] },
        }),
      });
      check((set.data?.metafieldsSet?.userErrors || []).length === 0, 'the shop sets a metafield of its own');
      const auth = { Authorization: `Bearer ${WEBSHOP_SECRET}` };
      const record = await getJson(`${webshopUrl}/products/${encodeURIComponent(twin)}`, { headers: auth });
      record.title = `${record.title} (ny)`;
      await getJson(`${webshopUrl}/products/${encodeURIComponent(twin)}`, {
        method: 'PUT', headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(record),
      });
      const edited = await runTandem(buildDir, tmp, 'run after a product title edit in the webshop');
      const after = ((await getJson(`${shopifyUrl}/__emu/state`)).products || [])
        .find((p) => p.id === linked.id);
      check(edited.code === 0 && after?.title === record.title,
            `the new title reaches Shopify (${after?.title})`);
      check((after?.metafields || []).some((m) => m.namespace === 'custom' && m.key === 'material' && m.value === 'Ull'),
            'the shop\'s own metafield on the product is still there');
      check((after?.metafields || []).some((m) => m.key === 'webshop_id' && m.value === twin),
            'the product still names its webshop twin');
    }

    // Pacing by requested cost (docs/shopify.md § Cost and throttling):
    // Shopify never has to refuse a request, in the bulk first load either.
    check(firstStats.throttled === 0 && secondStats.throttled === 0 && thirdStats.throttled === 0,
          `no THROTTLED answers (first sync ${firstStats.throttled}, no-change run ` +
          `${secondStats.throttled}, after a quiet hour ${thirdStats.throttled})`);
  } finally {
    for (const c of children)
      if (c.exitCode === null)
        c.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.log(`not ok - ${String(e.stack || e).split('\n').join('\n# ')}`);
  process.exit(1);
});
