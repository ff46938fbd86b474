import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, CONTROL, EDGE, token, openCase, backend, callDirectly } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());
beforeEach(async () => { await control('/control/reset', {}); });

const frameOf = (page, pane) => page.frameLocator(`#${pane} iframe`);

async function openPortal(query = '') {
  const context = await browser.newContext({ viewport: { width: 1400, height: 950 } });
  const page = await context.newPage();
  await page.goto(`${CONTROL}/portal${query}`);
  await frameOf(page, 'list-pane').locator('table.board tbody tr.row').first().waitFor({ timeout: 30000 });
  await frameOf(page, 'detail-pane').locator('#case-title').waitFor({ timeout: 30000 });
  return page;
}

const events = (page) => page.locator('#events li').evaluateAll((lis) => lis.map((li) => ({ board: li.dataset.board, type: li.dataset.type, text: li.textContent })));

test('two boards load inside the portal with the token passed by postMessage', async () => {
  const page = await openPortal();
  const seen = await events(page);
  for (const board of ['list', 'detail']) {
    assert.ok(seen.some((e) => e.board === board && e.type === 'signed_in'), JSON.stringify(seen));
    assert.ok(seen.some((e) => e.board === board && e.type === 'ready'));
  }
  // The token never appears in a URL or a cookie.
  for (const f of page.frames()) assert.ok(!/eyJ/.test(f.url()), f.url());
  assert.deepEqual(await page.context().cookies(), []);
  // Embedded: no standalone chrome.
  assert.equal(await frameOf(page, 'list-pane').locator('header.top').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a host command opens a case, and the other board is not affected', async () => {
  const page = await openPortal();
  const cases = await (await fetch(`${CONTROL}/portal/cases`)).json();
  const target = cases[5];
  await page.selectOption('#case', target.caseId);
  await page.click('#open-case');
  await frameOf(page, 'detail-pane').locator('#case-title', { hasText: target.caseName }).waitFor();
  await page.locator('#events li[data-board="detail"][data-type="case_opened"]', { hasText: target.caseId }).waitFor();
  assert.ok((await frameOf(page, 'list-pane').locator('table.board tbody tr.row').count()) > 0, 'the list stays on the board');
  await page.context().close();
});

/** Opens a case nobody holds (under mediation) in the portal's right-hand board. */
async function openFreeCase(page) {
  const c = await openCase();
  await page.selectOption('#case', c.caseId);
  await page.click('#open-case');
  await frameOf(page, 'detail-pane').locator('#case-title', { hasText: c.caseName }).waitFor();
  return c;
}

test('a takeover inside the iframe reaches the host as an event', async () => {
  const page = await openPortal();
  const c = await openFreeCase(page);
  const detail = frameOf(page, 'detail-pane');
  await detail.locator('#action-takeover').click();
  await detail.locator('#confirm-takeover').click();
  await detail.locator('[role=dialog] .ok').waitFor();
  const event = page.locator('#events li[data-board="detail"][data-type="action_completed"]', { hasText: 'takeover' });
  await event.waitFor();
  // The portal's log line: "[detail] action_completed {payload as JSON}".
  const text = await event.innerText();
  const payload = JSON.parse(text.slice(text.indexOf('{')));
  // The portal signs its boards in as zhangmin (tests/sandbox/src/portal.rs).
  assert.deepEqual(payload, { action: 'takeover', caseId: c.caseId, ok: true, detail: { userName: 'zhangmin' } });
  assert.equal((await backend(`/api/v1/mediation-timeline/v2/board`)).data.find((x) => x.caseId === c.caseId).takeoverUser, 'zhangmin');
  await page.context().close();
});

test('token refresh keeps the board working past the first token\'s expiry', async () => {
  // Tokens that live 9 seconds: the board asks for a new one before each expires.
  const page = await openPortal('?ttl=9');
  await page.locator('#events li[data-type="token_refreshed"]').first().waitFor({ timeout: 15000 });
  await page.waitForTimeout(11000);
  assert.ok((await page.locator('#events li[data-type="token_refreshed"]').count()) >= 2);
  // Past the first token's expiry, an action still works (no 401, no sign-out).
  await openFreeCase(page);
  const detail = frameOf(page, 'detail-pane');
  // Notices of the cases the user took over in the tests before may be showing.
  for (const close of await detail.locator('#toasts button[data-notice-close]').all()) await close.click().catch(() => {});
  await detail.locator('#action-agreement').click();
  await detail.locator('[role=dialog] .agreement').waitFor({ timeout: 15000 });
  // The edge accepted the refreshed token: the backend answered (an agreement,
  // or its own refusal such as "案件尚未开始调解"), not a 401.
  const outcome = page.locator('#events li[data-board="detail"][data-type="action_completed"]', { hasText: 'agreement_generated' });
  await outcome.waitFor();
  assert.doesNotMatch(await outcome.innerText(), /401|unauthori|登录|expired|过期/i);
  const seen = await events(page);
  assert.ok(!seen.some((e) => e.type === 'error'), JSON.stringify(seen.filter((e) => e.type === 'error')));
  await page.context().close();
});

test('a page outside EMBED_ORIGINS can neither frame the board nor talk to it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const refused = [];
  page.on('console', (m) => { if (/frame-ancestors|Refused to frame/i.test(m.text())) refused.push(m.text()); });
  await page.route('http://foreign.example/**', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><html><body><iframe id="f" src="${EDGE}/embed"></iframe></body></html>`,
  }));
  await page.goto('http://foreign.example/host');
  await page.waitForTimeout(3000);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  const framed = frame ? await frame.locator('#embed-waiting, table.board').count().catch(() => 0) : 0;
  assert.equal(framed, 0, 'the board did not render inside a foreign page');
  assert.ok(refused.length > 0 || (frame && frame.url().startsWith('chrome-error')), `frame url ${frame && frame.url()}`);

  // Opened as a popup, it does not take commands from the foreign page.
  const t = await token();
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.evaluate((url) => { window.board = window.open(url, 'board'); }, `${EDGE}/embed`),
  ]);
  await popup.locator('#embed-waiting').waitFor({ timeout: 20000 });
  await page.evaluate((value) => {
    window.board.postMessage({ target: 'mediation-board', version: 1, type: 'init', payload: { board: 'x', token: value } }, '*');
  }, t);
  await popup.waitForTimeout(1500);
  assert.equal(await popup.locator('#embed-waiting').count(), 1, 'still waiting: the foreign init was ignored');
  assert.equal(await popup.locator('table.board').count(), 0);
  await context.close();
});

test('a sibling frame on the portal\'s own origin cannot command the board', async () => {
  const page = await openPortal();
  const board = frameOf(page, 'list-pane');
  const cases = await (await fetch(`${CONTROL}/portal/cases`)).json();
  const target = cases[3];
  // A second frame of the portal's origin (e.g. an ad or a widget) posts a
  // well-formed command to the board's window: the board is not its child.
  await page.evaluate(() => {
    const widget = document.createElement('iframe');
    widget.name = 'widget';
    document.body.appendChild(widget);
  });
  const widget = page.frame({ name: 'widget' });
  await widget.evaluate(({ caseId }) => {
    const boardWindow = parent.document.querySelector('#list-pane iframe').contentWindow;
    boardWindow.postMessage({ target: 'mediation-board', version: 1, type: 'open_case', payload: { caseId } }, '*');
  }, { caseId: target.caseId });
  await page.waitForTimeout(1500);
  assert.equal(await board.locator('#case-title').count(), 0, 'the list board stayed on the board');
  assert.ok((await board.locator('table.board tbody tr.row').count()) > 0);
  // Its real host still can.
  await page.selectOption('#case', target.caseId);
  await page.click('#open-case');
  await frameOf(page, 'detail-pane').locator('#case-title', { hasText: target.caseName }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a call of a case the user took over ending reaches the host as a notice', async () => {
  const c = await openCase();
  const placed = (await callDirectly(c)).body;
  const job = placed.data[0].jobId;
  const took = await fetch(`${EDGE}/api/cases/${c.caseId}/takeover`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token('zhangmin')}`, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(took.status, 200);
  // The portal signs its boards in as zhangmin.
  const page = await openPortal();
  await frameOf(page, 'list-pane').locator('.live[data-state="open"]').waitFor({ timeout: 20000 });
  // The call is marked ended through the edge, which tells open boards at once
  // (a change made upstream reaches them only when the hub next looks).
  const ended = await fetch(`${EDGE}/api/calls/${job}/status`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token('lihua')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ callStatus: 'Succeeded' }),
  });
  assert.equal(ended.status, 200);
  const event = page.locator('#events li[data-board="list"][data-type="notice"]', { hasText: 'call_ended' });
  await event.waitFor({ timeout: 20000 });
  const text = await event.innerText();
  const payload = JSON.parse(text.slice(text.indexOf('{')));
  assert.deepEqual({ ...payload, message: payload.message.split(' · ')[0] }, { kind: 'call_ended', caseId: c.caseId, title: '我的案件:通话已结束', message: c.caseName });
  // The board shows it too (its results may arrive as a second notice).
  await frameOf(page, 'list-pane').locator('#toasts .toast', { hasText: '我的案件:通话已结束' }).filter({ hasText: c.caseName }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
