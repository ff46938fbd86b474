import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, EDGE, signedInPage, openBoard, openCase, assertAccessible } from './harness.mjs';

let browser;
before(async () => {
  await control('/control/reset', {});
  browser = await launch();
});
after(async () => browser?.close());

/** Today in Asia/Shanghai, as the reminders are kept. */
function today() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

test('a reminder created today appears under "due today" until it is marked done', async () => {
  const c = await openCase();
  const text = `核实是否收到第二期 14160 元 (${Date.now()})`;
  const page = await signedInPage(browser);
  await page.goto(`${EDGE}/cases/${c.caseId}`);
  const form = page.locator('#note-form');
  await form.waitFor({ timeout: 20000 });
  await page.getByLabel('备注内容').fill(text);
  await page.getByLabel('提醒日期(可选)').fill(today());
  await page.getByRole('button', { name: '添加备注' }).click();
  await page.locator('#note-status', { hasText: '已保存' }).waitFor();
  const mine = page.locator('#case-notes li', { hasText: text });
  await mine.waitFor();
  assert.match(await mine.innerText(), /今天到期/);
  assert.match(await mine.innerText(), /zhangmin/);
  // The form is cleared for the next note.
  assert.equal(await page.getByLabel('备注内容').inputValue(), '');
  await assertAccessible(page, 'case with follow-ups');

  // On the board, under "due today", linking to the case.
  await page.locator('a', { hasText: '返回看板' }).first().click();
  const due = page.locator('#due-today li', { hasText: text });
  await due.waitFor({ timeout: 20000 });
  assert.equal(await due.locator('a').getAttribute('href'), `/cases/${c.caseId}`);
  assert.equal(await due.locator('a').innerText(), c.caseName);
  assert.match(await page.locator('#due-title').innerText(), /今日待回访 \d+ 条提醒到期/);
  await assertAccessible(page, 'board with due reminders');

  // Marked done on the case: kept there as done, gone from "due today".
  await due.locator('a').click();
  const again = page.locator('#case-notes li', { hasText: text });
  await again.getByRole('button', { name: '标记完成' }).click();
  await page.locator('#case-notes li.done', { hasText: text }).waitFor();
  assert.match(await page.locator('#case-notes li.done', { hasText: text }).innerText(), /已完成\(zhangmin\)/);
  await page.locator('a', { hasText: '返回看板' }).first().click();
  await page.locator('#due-title').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#due-today li', { hasText: text }).count(), 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a note without text is refused by the form and nothing is saved', async () => {
  const c = await openCase();
  const page = await signedInPage(browser);
  await page.goto(`${EDGE}/cases/${c.caseId}`);
  await page.locator('#note-form').waitFor({ timeout: 20000 });
  await page.locator('#case-notes[aria-busy="false"]').waitFor();
  const before = await page.locator('#case-notes li').count();
  await page.getByRole('button', { name: '添加备注' }).click();
  assert.equal(await page.getByLabel('备注内容').evaluate((el) => el.validity.valueMissing), true);
  assert.equal(await page.locator('#note-status').innerText(), '');
  assert.equal(await page.locator('#case-notes li').count(), before);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a read that stalls is asked once more, and the notes appear', async () => {
  const c = await openCase();
  const text = `已联系当事人 (${Date.now()})`;
  const setup = await signedInPage(browser);
  await setup.goto(`${EDGE}/cases/${c.caseId}`);
  await setup.locator('#note-form').waitFor({ timeout: 20000 });
  await setup.getByLabel('备注内容').fill(text);
  await setup.getByRole('button', { name: '添加备注' }).click();
  await setup.locator('#note-status', { hasText: '已保存' }).waitFor();
  await setup.close();

  const page = await signedInPage(browser);
  // The first read of the case's notes never gets an answer (a stalled connection).
  let reads = 0;
  await page.route(`**/api/cases/${c.caseId}/notes`, (route) => {
    reads += 1;
    if (reads > 1) route.continue();
  });
  await page.goto(`${EDGE}/cases/${c.caseId}`);
  await page.locator('#case-notes[aria-busy="true"]', { hasText: '加载中' }).waitFor({ timeout: 20000 });
  await page.locator('#case-notes li', { hasText: text }).waitFor({ timeout: 25000 });
  assert.equal(reads, 2);
  assert.equal(await page.locator('#case-notes').getAttribute('aria-busy'), 'false');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the agreement's payment dates are offered as reminders and one added joins the follow-ups", async () => {
  // The seeded case whose agreement pays in three instalments (2026-02-06, 03-06, 04-06).
  const caseId = '202601301030001111';
  const page = await signedInPage(browser);
  await page.goto(`${EDGE}/cases/${caseId}`);
  await page.locator('#case-notes[aria-busy="false"]').waitFor({ timeout: 20000 });
  await page.click('#action-agreement');
  const d = page.getByRole('dialog');
  const offered = d.locator('.suggested li');
  await offered.first().waitFor({ timeout: 15000 });
  assert.deepEqual(
    (await offered.allInnerTexts()).map((t) => t.slice(0, 10)),
    ['2026-02-06', '2026-03-06', '2026-04-06'],
  );
  const first = offered.first();
  const text = (await first.innerText()).replace(/^2026-02-06 · /, '').replace(/\s*添加提醒$/, '');
  assert.match(text, /^核实是否收到 1500 元/);
  await first.getByRole('button', { name: '添加提醒' }).click();
  await first.locator('.badge', { hasText: '已添加' }).waitFor();
  // The other two are still offered.
  assert.equal(await d.getByRole('button', { name: '添加提醒' }).count(), 2);
  await d.getByRole('button', { name: '关闭' }).click();
  // The case's follow-ups list it with its day (long past here: overdue).
  const added = page.locator('#case-notes li', { hasText: text }).first();
  await added.waitFor();
  assert.match(await added.innerText(), /2026-02-06 提醒/);
  assert.deepEqual(page.errors, []);
  await page.close();
});
