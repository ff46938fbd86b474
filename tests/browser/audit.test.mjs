// 操作记录 / The whole audit trail: a supervisor filters it, pages back,
// exports what is shown; a mediator has neither the link nor the trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, EDGE, signedInPage, openCase, token, assertAccessible } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());

test('a supervisor filters the audit trail, reads older pages, exports it, and a mediator cannot', async () => {
  const user = `aud${Date.now()}`;
  const c = await openCase();
  const notes = [];
  for (const i of [1, 2, 3]) {
    const res = await fetch(`${EDGE}/api/cases/${c.caseId}/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(user, 'mediator')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: `核实第 ${i} 期` }),
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    notes.push(body.id);
  }
  const [n1, n2, n3] = notes;

  const page = await signedInPage(browser, 'wanglei', 'supervisor');
  await page.goto(`${EDGE}/`);
  await page.locator('#nav-audit').click();
  await page.waitForURL(`${EDGE}/audit`);
  await page.locator('#audit-list table.audit-table').waitFor({ timeout: 20000 });
  await page.locator('#audit-user').fill(user);
  await page.locator('#audit-action').selectOption('note');
  await page.getByRole('button', { name: '查看' }).click();
  await page.waitForURL(`${EDGE}/audit?user=${user}&action=note`);
  await page.locator('#audit-status', { hasText: '已显示全部 3 条' }).waitFor({ timeout: 20000 });
  const rows = page.locator('#audit-list tbody tr');
  assert.equal(await rows.count(), 3);
  const cells = await rows.first().locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(1), [`${user} (调解员)`, '添加备注/回访提醒', c.caseId, String(n3), `200 note ${n3}`]);
  assert.equal(await rows.first().locator('a').getAttribute('href'), `/cases/${c.caseId}`);
  await assertAccessible(page, 'the audit trail');

  // Two a page (the URL's limit): the older one on request.
  await page.goto(`${EDGE}/audit?user=${user}&limit=2`);
  await page.locator('#audit-status', { hasText: '已显示 2 条' }).waitFor({ timeout: 20000 });
  assert.equal(await rows.count(), 2);
  await page.locator('#audit-more').click();
  await page.locator('#audit-status', { hasText: '已显示全部 3 条' }).waitFor({ timeout: 20000 });
  assert.deepEqual(await rows.locator('td:nth-child(6)').allInnerTexts(), [`200 note ${n3}`, `200 note ${n2}`, `200 note ${n1}`]);
  assert.equal(await page.locator('#audit-more').count(), 0);

  // What is shown, as CSV.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#audit-export').click()]);
  assert.match(download.suggestedFilename(), /^audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync(await download.path(), 'utf8').split('\r\n');
  assert.equal(lines[0], '\ufeff时间,操作人(身份),操作,案件,对象,结果');
  assert.equal(lines.length, 5, 'a header, three rows and the last line end');
  assert.ok(lines[1].endsWith(`,${user} (调解员),添加备注/回访提醒,${c.caseId},${n3},200 note ${n3}`), lines[1]);

  const mediator = await signedInPage(browser, 'zhangmin', 'mediator');
  await mediator.goto(`${EDGE}/`);
  await mediator.locator('#nav-attention').waitFor();
  assert.equal(await mediator.locator('#nav-audit').count(), 0);
  await mediator.goto(`${EDGE}/audit`);
  await mediator.locator('#audit-status', { hasText: 'HTTP 403' }).waitFor({ timeout: 20000 });
  assert.equal(await mediator.locator('#audit-list tbody tr').count(), 0);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(mediator.errors, []);
  await page.close();
  await mediator.close();
});
