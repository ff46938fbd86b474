// Shared set-up for the browser tests: Debian's Chromium driven by
// playwright-core (no browser download), the stack's addresses, the sandbox's
// control API, signing in, and an axe-core accessibility check.
import { afterEach } from 'node:test';
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

export const EDGE = process.env.E2E_EDGE ?? 'http://127.0.0.1:18787';
export const CONTROL = process.env.E2E_CONTROL ?? 'http://127.0.0.1:18790';
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Every page any test opens, with the uncaught errors it raised. */
const watched = [];

function watch(page) {
  if (page.errors) return;
  const errors = [];
  page.on('pageerror', (e) => {
    errors.push(e.message);
    // The message of a wasm trap is only "unreachable"; where it happened is
    // in the stack (module and function index), kept for the failure report.
    console.error(`page error at ${page.url()}: ${e.stack ?? e.message}`);
  });
  page.errors = errors;
  // Diagnostics for a page that does not finish loading in time: a request
  // slower than 5 s is reported when it ends, and any open for over 2 s when
  // the test ends is listed then (neither fails a test on its own).
  const open = new Map();
  page.on('request', (r) => open.set(r, Date.now()));
  const ended = (how) => (r) => {
    const took = Date.now() - (open.get(r) ?? Date.now());
    open.delete(r);
    if (took > 5000) console.error(`slow request (${how} after ${took} ms): ${r.method()} ${r.url()}`);
  };
  page.on('requestfinished', ended('finished'));
  page.on('requestfailed', ended('failed'));
  page.pendingRequests = () =>
    [...open].filter(([, at]) => Date.now() - at > 2000).map(([r, at]) => `${r.method()} ${r.url()} open for ${Date.now() - at} ms`);
  watched.push(page);
}

// Every browser test fails on any page error (a Rust panic in the board is
// one: the release build turns it into `RuntimeError: unreachable`).
afterEach(() => {
  for (const p of watched) {
    const pending = p.pendingRequests().filter((line) => !/\/api\/live/.test(line));
    if (pending.length) console.error(`requests still open at the end of the test on ${p.url()}:\n  ${pending.join('\n  ')}`);
  }
  const errors = watched.flatMap((p) => p.errors.map((m) => `${p.url()}: ${m}`));
  watched.length = 0;
  assert.deepEqual(errors, [], 'uncaught errors in the page');
});

export async function launch() {
  // Playwright gives each launch a fresh profile in TMPDIR.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  // Every page of every context is watched, popups included.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.on('page', watch);
    return context;
  };
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...args) => {
    const page = await newPage(...args);
    watch(page);
    return page;
  };
  return browser;
}

export async function control(path, body) {
  const res = await fetch(`${CONTROL}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A session token for a demo user, from the edge's local sign-in. */
export async function token(user = 'zhangmin', role = 'mediator') {
  const mint = () => fetch(`${EDGE}/api/demo/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, role }),
  });
  // Node's fetch may reuse a keep-alive connection the local proxy has just
  // closed; minting a token is safe to repeat.
  const res = await mint().catch((e) => {
    if (!/ECONNRESET|UND_ERR_SOCKET/.test(`${e.cause?.code} ${e.code}`)) throw e;
    return mint();
  });
  assert.equal(res.status, 200);
  return (await res.json()).token;
}

/** A page already signed in as `user` (the token is put where the board keeps it). */
export async function signedInPage(browser, user = 'zhangmin', role = 'mediator', { viewport } = {}) {
  const context = await browser.newContext({ viewport: viewport ?? { width: 1280, height: 900 } });
  const t = await token(user, role);
  // Only on the board's own origin (the script also runs in blank frames,
  // whose storage is off-limits).
  await context.addInitScript(({ value, origin }) => {
    if (location.origin === origin) sessionStorage.setItem('mediation-board.token', value);
  }, { value: t, origin: new URL(EDGE).origin });
  return context.newPage();
}

export async function openBoard(page, query = '') {
  await page.goto(`${EDGE}/${query}`);
  await page.locator('table.board tbody tr.row').first().waitFor({ timeout: 20000 });
}

/** Runs axe-core on the page; fails on serious or critical violations. */
export async function assertAccessible(page, what) {
  // Injected through DevTools, which the page's CSP (rightly) does not allow for scripts.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${what}: accessibility violations ${JSON.stringify(bad, null, 1)}`);
}

export async function backend(path) {
  const res = await fetch(`${process.env.E2E_MEDIATION ?? 'http://127.0.0.1:18788'}${path}`, {
    headers: { authorization: 'Bearer sandbox-mediation-token' },
  });
  return res.json();
}

/** The first case under mediation nobody has taken over. */
export async function openCase() {
  const board = await backend('/api/v1/mediation-timeline/v2/board');
  return board.data.find((c) => !c.takeoverUser && c.stage !== 'accepted' && c.callStatus);
}

/** Places an AI call for a case's first party straight at the sandbox backend
 * (as a change the edge learns of only upstream); the backend's answer. */
export async function callDirectly(c) {
  const res = await fetch(`${process.env.E2E_MEDIATION ?? 'http://127.0.0.1:18788'}/api/v1/outbound-bot/call-v2`, {
    method: 'POST',
    headers: { authorization: 'Bearer sandbox-mediation-token', 'content-type': 'application/json' },
    body: JSON.stringify({ caseId: c.caseId, mediationId: String(c.mediationId), callAuto: 0, callPersonId: c.parties[0].personId }),
  });
  return { status: res.status, body: await res.json() };
}

/** A request to the edge as `user` (with an idempotency key for POSTs that want one); status and JSON body. */
export async function edgeApi(method, path, user, role, body) {
  const res = await fetch(`${EDGE}${path}`, {
    method,
    headers: { authorization: `Bearer ${await token(user, role)}`, 'content-type': 'application/json', 'idempotency-key': `test-${Date.now()}-${Math.random()}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Records pushed to the edge as the note agent does; the push must be acknowledged. */
export async function pushNotes(records) {
  const res = await fetch(`${EDGE}/webhooks/note-agent/sandbox-webhook-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });
  assert.equal(res.status, 200, await res.text());
}
