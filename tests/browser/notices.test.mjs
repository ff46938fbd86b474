import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, EDGE, signedInPage, openBoard, openCase, token, assertAccessible, callDirectly } from './harness.mjs';

let browser;
before(async () => {
  await control('/control/reset', {});
  browser = await launch();
});
after(async () => browser?.close());

test('a notification appears when a call of a case I took over ends, and only to me', async () => {
  const c = await openCase();
  // A call under way (placed straight at the backend), then the case taken over by zhangmin.
  const placed = (await callDirectly(c)).body;
  const job = placed.data[0].jobId;
  assert.ok(job, JSON.stringify(placed));
  const took = await fetch(`${EDGE}/api/cases/${c.caseId}/takeover`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token('zhangmin')}`, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(took.status, 200);

  const mine = await signedInPage(browser, 'zhangmin');
  const other = await signedInPage(browser, 'lihua');
  for (const p of [mine, other]) {
    await openBoard(p);
    await p.locator('.live[data-state="open"]').waitFor({ timeout: 20000 });
  }
  // The call is marked ended through the edge, which tells open boards at once
  // (a change made upstream reaches them only when the hub next looks).
  const ended = await fetch(`${EDGE}/api/calls/${job}/status`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token('wanglei', 'supervisor')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ callStatus: 'Succeeded' }),
  });
  assert.equal(ended.status, 200);

  const toast = mine.locator('#toasts .toast', { hasText: '我的案件:通话已结束' });
  await toast.waitFor({ timeout: 20000 });
  assert.match(await toast.innerText(), new RegExp(c.caseName));
  assert.equal(await toast.locator('a').getAttribute('href'), `/cases/${c.caseId}`);
  await assertAccessible(mine, 'board with a notice');
  // lihua's board had the same event and shows nothing: the case is not hers.
  await other.waitForTimeout(1000);
  assert.equal(await other.locator('#toasts .toast').count(), 0);

  // Dismissed with its button.
  await toast.getByRole('button', { name: '关闭这条通知' }).click();
  await mine.waitForFunction(() => ![...document.querySelectorAll('#toasts .toast')].some((t) => t.innerText.includes('通话已结束')));
  assert.deepEqual(mine.errors, []);
  assert.deepEqual(other.errors, []);
  await mine.close();
  await other.close();
});

test('the notification tone can be turned off and stays off', async () => {
  const page = await signedInPage(browser, 'zhangmin');
  await openBoard(page);
  const sound = page.locator('#notice-sound');
  assert.equal(await sound.getAttribute('aria-pressed'), 'true');
  await sound.click();
  assert.equal(await sound.getAttribute('aria-pressed'), 'false');
  await page.reload();
  await page.locator('table.board tbody tr.row').first().waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#notice-sound').getAttribute('aria-pressed'), 'false');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a reminder of mine due today is told when the board opens, and only to me', async () => {
  const c = await openCase();
  const text = `核实是否收到第一期 (${Date.now()})`;
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  const user = `notice${Date.now()}`;
  const saved = await fetch(`${EDGE}/api/cases/${c.caseId}/notes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token(user)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, dueDate: today }),
  });
  assert.equal(saved.status, 200);
  const mine = await signedInPage(browser, user);
  await openBoard(mine);
  const toast = mine.locator('#toasts .toast', { hasText: text });
  await toast.waitFor({ timeout: 20000 });
  assert.match(await toast.innerText(), new RegExp(`^我的回访提醒今天到期 ${c.caseName} · `));
  assert.equal(await toast.locator('a').getAttribute('href'), `/cases/${c.caseId}`);
  // Someone else's board does not tell it (they neither wrote it nor hold the case).
  const other = await signedInPage(browser, `other${Date.now()}`);
  await openBoard(other);
  await other.locator('#due-today li', { hasText: text }).waitFor({ timeout: 20000 });
  await other.waitForTimeout(1000);
  assert.equal(await other.locator('#toasts .toast', { hasText: text }).count(), 0);
  assert.deepEqual(mine.errors, []);
  assert.deepEqual(other.errors, []);
  await mine.close();
  await other.close();
});
