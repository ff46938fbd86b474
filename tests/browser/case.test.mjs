import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, EDGE, signedInPage, assertAccessible, openCase, backend } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());
beforeEach(async () => { await control('/control/reset', {}); });

async function openCasePage(page, caseId) {
  await page.goto(`${EDGE}/cases/${caseId}`);
  await page.locator('#case-title').waitFor({ timeout: 20000 });
}

test('the case shows parties (masked), facts, calls and audit', async () => {
  const c = await openCase();
  const page = await signedInPage(browser);
  await openCasePage(page, c.caseId);
  assert.equal(await page.locator('#case-title').innerText(), c.caseName);
  const phones = await page.locator('table.parties .phone').allInnerTexts();
  assert.ok(phones.length >= 2 && phones.every((p) => p.includes('****')), phones.join());
  assert.ok((await page.locator('.facts').innerText()).length > 10);
  await page.locator('.timeline .call').first().waitFor();
  await assertAccessible(page, 'case');
  // A supervisor sees the full numbers.
  const sup = await signedInPage(browser, 'wanglei', 'supervisor');
  await openCasePage(sup, c.caseId);
  assert.equal(await sup.locator('table.parties .phone').first().innerText(), c.parties[0].phoneNumber);
  await sup.close();
  await page.close();
});

test('placing an AI call shows each party\'s outcome, and a second call must wait', async () => {
  const c = await openCase();
  const page = await signedInPage(browser);
  await openCasePage(page, c.caseId);
  await page.click('#action-call');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  // Focus moved into the dialog.
  assert.ok(await page.evaluate(() => document.activeElement.closest('[role=dialog]') !== null));
  for (const box of await dialog.locator('input[name=party]').all()) {
    if (!(await box.isChecked())) await box.check();
  }
  await dialog.getByRole('button', { name: '开始外呼' }).click();
  await dialog.locator('.outcomes li').first().waitFor();
  const outcomes = await dialog.locator('.outcomes li').allInnerTexts();
  assert.equal(outcomes.length, c.parties.length);
  assert.ok(outcomes.every((o) => o.includes('已发起')), outcomes.join('|'));
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  // Again at once: the backend says to wait.
  await page.click('#action-call');
  await page.getByRole('dialog').getByRole('button', { name: '开始外呼' }).click();
  await page.getByRole('dialog').locator('.outcomes li').first().waitFor();
  assert.match(await page.getByRole('dialog').locator('.outcomes').innerText(), /须等待/);
  await page.keyboard.press('Escape');
  // The audit trail has the call.
  await page.locator('.audit li[data-action="call"]').first().waitFor({ timeout: 10000 });
  await page.close();
});

test('a call placed is a call you can watch: queued, then its outcome and transcript link, without a reload', async () => {
  const board = await backend('/api/v1/mediation-timeline/v2/board');
  const c = board.data.find((r) => !r.callStatus && !r.takeoverUser);
  const page = await signedInPage(browser);
  await openCasePage(page, c.caseId);
  await page.locator('.calls .empty').waitFor();
  assert.equal(await page.locator('.calls').innerText(), '还没有 AI 通话');
  await page.click('#action-call');
  const dialog = page.getByRole('dialog');
  for (const box of await dialog.locator('input[name=party]').all()) {
    if (!(await box.isChecked())) await box.check();
  }
  await dialog.getByRole('button', { name: '开始外呼' }).click();
  await dialog.locator('.outcomes li').first().waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  const row = (await backend('/api/v1/mediation-timeline/v2/board')).data.find((r) => r.caseId === c.caseId);
  assert.equal(row.callStatus, 'Scheduling');
  // The call leads the list at once, with its status, and no transcript yet.
  const pending = page.locator(`.timeline li.call.pending[data-job-id="${row.jobId}"]`);
  await pending.waitFor({ timeout: 15000 });
  assert.match(await pending.innerText(), /排队中[\s\S]*通话进行中,结束后可查看通话记录和质检结果/);
  assert.equal(await pending.locator('a').count(), 0);
  // The sandbox's clock moves on: the calls run and end, their log arrives.
  await control('/control/time', { advanceMs: 15 * 60 * 1000 });
  const done = page.locator(`.timeline li.call:not(.pending)[data-job-id="${row.jobId}"]`);
  await done.waitFor({ timeout: 20000 });
  assert.equal(await page.locator('.timeline li.call.pending').count(), 0);
  const link = done.getByRole('link', { name: '查看通话' });
  assert.equal(await link.getAttribute('href'), `/cases/${c.caseId}/calls/${row.jobId}`);
  const status = (await backend(`/api/v1/outbound-bot/status?jobId=${row.jobId}`)).data.callStatus;
  assert.notEqual(status, 'Scheduling');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('takeover race: one mediator wins, the other sees the conflict', async () => {
  const c = await openCase();
  const a = await signedInPage(browser, 'zhangmin');
  const b = await signedInPage(browser, 'lihua');
  await Promise.all([openCasePage(a, c.caseId), openCasePage(b, c.caseId)]);
  await a.click('#action-takeover');
  await b.click('#action-takeover');
  await Promise.all([a.locator('#confirm-takeover').click(), b.locator('#confirm-takeover').click()]);
  const outcome = async (p) => {
    const d = p.getByRole('dialog');
    await d.locator('.ok, .error').first().waitFor();
    return d.innerText();
  };
  const [ra, rb] = await Promise.all([outcome(a), outcome(b)]);
  const wins = [ra, rb].filter((t) => t.includes('已接管'));
  const conflicts = [ra, rb].filter((t) => t.includes('案件已被接管,不允许重复接管'));
  assert.equal(wins.length, 1, `${ra} | ${rb}`);
  assert.equal(conflicts.length, 1, `${ra} | ${rb}`);
  const winner = ra.includes('已接管') ? 'zhangmin' : 'lihua';
  // Both pages then show who holds the case.
  for (const p of [a, b]) {
    await p.keyboard.press('Escape');
    await p.locator('#takeover-holder', { hasText: winner }).waitFor({ timeout: 10000 });
  }
  await a.close();
  await b.close();
});

test('agreement can be generated, viewed, copied and printed', async () => {
  const c = await openCase();
  const page = await signedInPage(browser);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: EDGE });
  await openCasePage(page, c.caseId);
  await page.click('#action-agreement');
  const d = page.getByRole('dialog');
  await d.locator('.agreement').waitFor();
  assert.ok((await d.locator('.agreement').innerText()).length > 20);
  await d.getByRole('button', { name: '复制' }).click();
  await d.getByRole('button', { name: '已复制' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(copied.length > 20);
  // Printing prints the agreement alone: the print sheet hides all but `.printable`.
  await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
  await d.getByRole('button', { name: '打印' }).click();
  assert.equal(await page.evaluate(() => window.__printed), 1);
  await page.emulateMedia({ media: 'print' });
  const seen = await page.evaluate(() => ({
    agreement: getComputedStyle(document.querySelector('.printable')).visibility,
    header: getComputedStyle(document.querySelector('#case-title')).visibility,
  }));
  assert.deepEqual(seen, { agreement: 'visible', header: 'hidden' });
  await page.emulateMedia({ media: 'screen' });
  await page.close();
});

test('OCR runs on the case files and shows each file\'s state and text', async () => {
  const c = await openCase();
  const page = await signedInPage(browser);
  await openCasePage(page, c.caseId);
  await page.click('#action-ocr');
  const d = page.getByRole('dialog');
  await d.locator('.ocr-overall').waitFor();
  assert.equal(await d.locator('.ocr-overall').getAttribute('data-state'), 'processing');
  await control('/control/time', { advanceMs: 60000 });
  await d.locator('.ocr-overall[data-state="done"]').waitFor({ timeout: 10000 });
  assert.ok((await d.locator('.ocr-text').count()) >= 1);
  await page.close();
});

test('a call\'s status can be updated', async () => {
  const c = await openCase();
  const page = await signedInPage(browser);
  await openCasePage(page, c.caseId);
  const call = page.locator('.timeline .call').first();
  await call.waitFor();
  const job = await call.getAttribute('data-job-id');
  await call.getByRole('button', { name: '更新状态' }).click();
  await page.selectOption('#new-status', 'Cancelled');
  await page.getByRole('dialog').getByRole('button', { name: '更新' }).click();
  await page.getByRole('dialog').locator('.ok').waitFor();
  await page.keyboard.press('Escape');
  await page.locator(`.timeline .call[data-job-id="${job}"]`, { hasText: '已取消' }).waitFor({ timeout: 10000 });
  const status = await backend(`/api/v1/outbound-bot/status?jobId=${job}`);
  assert.equal(status.data.callStatus, 'Cancelled');
  await page.close();
});

test('a failed action shows the error and can be retried', async () => {
  const c = await openCase();
  const page = await signedInPage(browser);
  await openCasePage(page, c.caseId);
  await page.waitForLoadState('networkidle');
  // Aimed at the agreement: the edge's live hub reads the board every second
  // and would otherwise take the fault (a flake seen in CI).
  await control('/control/faults/mediation', { failNext: 1, onlyPath: '/api/v1/mediation-agreement/generate' });
  await page.click('#action-agreement');
  const d = page.getByRole('dialog');
  await d.locator('.error').waitFor();
  await control('/control/faults/mediation', { onlyPath: null });
  assert.match(await d.innerText(), /系统繁忙/);
  await d.getByRole('button', { name: '重试' }).click();
  await d.locator('.agreement').waitFor();
  await page.close();
});

test('a call whose outcome is unknown is not offered again; its status can be checked', async () => {
  const c = await openCase();
  const page = await signedInPage(browser);
  await openCasePage(page, c.caseId);
  await page.waitForLoadState('networkidle');
  const before = (await control('/control/state')).calls;
  // The backend places the call, then answers after the edge has given up waiting.
  await control('/control/faults/mediation', { slowAnswerMs: 11000 });
  await page.click('#action-call');
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: '开始外呼' }).click();
  const unknown = dialog.locator('#call-outcome-unknown');
  await unknown.waitFor({ timeout: 20000 });
  await control('/control/faults/mediation', { slowAnswerMs: 0 });
  assert.match(await unknown.innerText(), /结果未知/);
  assert.equal(await dialog.getByRole('button', { name: '重试' }).count(), 0, 'no way to ring the party twice from here');
  assert.equal((await control('/control/state')).calls, before + 1);
  await dialog.locator('#check-call-status').click();
  await page.waitForFunction(() => /\d{4}-\d{2}-\d{2}/.test(document.querySelector('#checked-status')?.textContent ?? ''));
  const checked = await dialog.locator('#checked-status').innerText();
  // The clock is frozen in the test sandbox: the call just placed is still queued.
  const latest = await backend(`/api/v1/outbound-bot/status?caseRef=${c.caseId}`);
  assert.ok(checked.startsWith(`排队中 · ${latest.data.jobId} · `), checked);
  await assertAccessible(page, 'outcome unknown');
  assert.deepEqual(page.errors, []);
  await page.close();
});
