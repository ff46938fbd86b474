import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, EDGE, signedInPage, openBoard, assertAccessible, backend } from './harness.mjs';

let browser;
before(async () => {
  await control('/control/reset', {});
  browser = await launch();
});
after(async () => browser?.close());

test('signing in with a demo user shows the board in Chinese', async () => {
  const page = await browser.newPage();
  await page.goto(EDGE);
  await page.getByRole('button', { name: /张敏/ }).click();
  await page.locator('table.board tbody tr.row').first().waitFor();
  assert.equal(await page.locator('h1').innerText(), 'AI云小调 · 调解看板');
  assert.match(await page.locator('#current-user').innerText(), /张敏/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await page.close();
});

test('the board lists every case with stage, party, status, time and duration', async () => {
  const page = await signedInPage(browser);
  await openBoard(page);
  const total = (await backend('/api/v1/mediation-timeline/v2/board')).data.length;
  assert.equal(await page.locator('.shown').innerText(), `显示 ${total} / ${total} 个案件`);
  const first = page.locator('table.board tbody tr.row').first();
  const cells = await first.locator('td').allInnerTexts();
  // The selection checkbox, then the case and its seven columns (QA among them).
  assert.equal(cells.length, 9);
  assert.equal(await first.locator('td.pick input[type=checkbox]').count(), 1);
  assert.ok(cells[1].length > 4, 'case name and id');
  // Phone numbers never appear unmasked for a mediator.
  const html = await page.content();
  const some = (await backend('/api/v1/mediation-timeline/v2/board')).data[0].parties[0].phoneNumber;
  assert.ok(!html.includes(some));
  await page.waitForSelector('#live-state[data-state="open"]', { timeout: 10000 });
  await assertAccessible(page, 'board');
  assert.deepEqual(page.errors, []);
});

test("a board answer slower than a stalled read's 15 s is waited for, not asked again", async () => {
  // The whole board grows with the centre's cases: at 100,000 the backend
  // takes seconds to write it, and it must not be abandoned as stalled.
  const page = await signedInPage(browser);
  const reads = [];
  await page.route('**/api/board', async (route) => {
    reads.push(Date.now());
    if (reads.length === 1) await new Promise((resolve) => setTimeout(resolve, 17000));
    await route.continue();
  });
  await page.goto(EDGE);
  await page.locator('table.board tbody tr.row').first().waitFor({ timeout: 45000 });
  assert.equal(reads.length, 1, 'the board was asked for once');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('filters and search live in the URL and can be shared', async () => {
  const page = await signedInPage(browser);
  await openBoard(page);
  await page.selectOption('#filter-stage', 'follow_up');
  await page.waitForURL(/stage=follow_up/);
  const stages = await page.locator('table.board tbody tr.row td:nth-child(3)').allInnerTexts();
  assert.ok(stages.length > 0 && stages.every((s) => s === '履约回访'), stages.join());
  await page.fill('#board-search', '刘树杰');
  await page.waitForURL(/q=/);
  const rows = await page.locator('table.board tbody tr.row').count();
  assert.equal(rows, 1);
  const shared = page.url();
  // The same link opens the same view.
  const other = await signedInPage(browser, 'wanglei', 'supervisor');
  await other.goto(shared);
  await other.locator('table.board tbody tr.row').first().waitFor();
  assert.equal(await other.locator('table.board tbody tr.row').count(), 1);
  assert.equal(await other.locator('#board-search').inputValue(), '刘树杰');
  // Status chips show counts and filter.
  await page.click('text=清除筛选');
  const chip = page.locator('.status-chips .chip').first();
  const n = Number(await chip.locator('b').innerText());
  const label = await chip.locator('span').innerText();
  const all = (await backend('/api/v1/mediation-timeline/v2/board')).data.length;
  await chip.click();
  await page.waitForURL(/status=/);
  assert.equal(await page.locator('.shown').innerText(), `显示 ${n} / ${all} 个案件`);
  // The table holds exactly those rows (it renders the ones in view), each with that status.
  assert.equal(await page.locator('table.board').getAttribute('aria-rowcount'), String(n + 1));
  const statuses = await page.locator('table.board tbody tr.row td:nth-child(5)').allInnerTexts();
  // The board renders the rows in view plus 20 (app/src/screens/board.rs, 44 px a row).
  const capacity = await page.locator('.table-scroll').evaluate((el) => Math.floor(Math.max(el.clientHeight, 200) / 44) + 20);
  assert.ok(n > 0);
  assert.equal(statuses.length, Math.min(n, capacity));
  assert.deepEqual([...new Set(statuses)], [label]);
  // The last digits of a phone number find the party.
  await page.click('text=清除筛选');
  const tail = (await backend('/api/v1/mediation-timeline/v2/board')).data[3].parties[0].phoneNumber.slice(-4);
  await page.fill('#board-search', tail);
  await page.waitForTimeout(300);
  assert.ok((await page.locator('table.board tbody tr.row').count()) >= 1);
  // A search that matches nothing says so inside the table, which stays in place.
  await page.fill('#board-search', 'no-such-case-xyz');
  await page.getByRole('status').filter({ hasText: '没有符合条件的案件' }).waitFor();
  assert.equal(await page.locator('table.board tbody tr.row').count(), 0);
  // Clicking anywhere on a row (not only its link) opens the case.
  await page.click('text=清除筛选');
  const first = page.locator('table.board tbody tr.row').first();
  const caseId = await first.getAttribute('data-case-id');
  await first.locator('td').nth(2).click();
  await page.waitForURL(new RegExp(`/cases/${caseId}$`));
  await other.close();
  await page.close();
});

test('English is available and remembered', async () => {
  const page = await signedInPage(browser);
  await openBoard(page);
  await page.selectOption('#language', 'en');
  await page.getByRole('heading', { name: 'Live board' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Live board' }).waitFor();
  await page.selectOption('#language', 'zh-CN');
  await page.getByRole('heading', { name: '实时看板' }).waitFor();
  await page.close();
});

test('offline is shown as such, and the board keeps its data', async () => {
  const page = await signedInPage(browser);
  await openBoard(page);
  await page.context().setOffline(true);
  await page.locator('.offline').waitFor();
  assert.ok((await page.locator('table.board tbody tr.row').count()) > 0);
  await page.context().setOffline(false);
  await page.locator('.offline').waitFor({ state: 'detached' });
  await page.close();
});

test('live updates change a row without a reload', async () => {
  const page = await signedInPage(browser);
  await openBoard(page);
  await page.waitForSelector('#live-state[data-state="open"]');
  const c = (await backend('/api/v1/mediation-timeline/v2/board')).data.find((x) => x.stage === 'accepted');
  const row = page.locator(`tr[data-case-id="${c.caseId}"]`);
  await page.fill('#board-search', c.caseId);
  await row.waitFor();
  assert.match(await row.innerText(), /未呼叫/);
  // The AI calls a party of this case, straight at the backend.
  const res = await fetch(`${process.env.E2E_MEDIATION ?? 'http://127.0.0.1:18788'}/api/v1/outbound-bot/call-v2`, {
    method: 'POST',
    headers: { authorization: 'Bearer sandbox-mediation-token', 'content-type': 'application/json' },
    body: JSON.stringify({ caseId: c.caseId, mediationId: String(c.mediationId), callAuto: 0, callPersonId: c.parties[0].personId }),
  });
  assert.equal(res.status, 201);
  await page.locator(`tr[data-case-id="${c.caseId}"]`, { hasText: '排队中' }).waitFor({ timeout: 10000 });
  await page.close();
});

test('typing in the search, clearing it and opening a case at once raises no error and stays on the case', async () => {
  const page = await signedInPage(browser);
  await openBoard(page);
  const search = page.locator('#board-search');
  await search.fill('张');
  await search.fill('');
  const row = page.locator('table.board tbody tr.row').first();
  const caseId = await row.getAttribute('data-case-id');
  await row.locator('td').nth(2).click();
  await page.locator('#case-title').waitFor();
  // The search's URL update was due 400 ms after the last keystroke.
  await page.waitForTimeout(800);
  assert.equal(new URL(page.url()).pathname, `/cases/${caseId}`);
  assert.equal(await page.locator('#case-title').count(), 1);
  await page.close();
});

test('leaving the board before its next frame raises no error', async () => {
  const page = await signedInPage(browser);
  // Frames are held while the board mounts and is left, then let run: the
  // table's measuring of its height (due at the next frame) must find the
  // board gone rather than trap.
  await page.addInitScript(() => {
    const queued = [];
    const run = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => (window.holdFrames ? queued.push(cb) : run(cb));
    window.releaseFrames = () => {
      window.holdFrames = false;
      const held = queued.splice(0);
      held.forEach((cb) => cb(performance.now()));
      return held.length;
    };
  });
  await openBoard(page);
  await page.locator('#nav-attention').click();
  await page.waitForURL(`${EDGE}/attention`);
  await page.evaluate(() => { window.holdFrames = true; });
  await page.locator('#nav-board').click();
  await page.locator('table.board tbody tr.row').first().waitFor();
  await page.locator('#nav-attention').click();
  await page.waitForURL(`${EDGE}/attention`);
  const held = await page.evaluate(() => window.releaseFrames());
  assert.ok(held >= 1, `the board asked for a frame as it mounted (${held} held)`);
  await page.locator('#nav-board').click();
  await page.locator('table.board tbody tr.row').first().waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('dispute kind, call type, last-call days and amount narrow the board, in the URL', async () => {
  const page = await signedInPage(browser);
  await openBoard(page);
  const all = (await backend('/api/v1/mediation-timeline/v2/board')).data;
  const wages = all.filter((c) => c.disputeType === 'wage_arrears');
  assert.ok(wages.length > 1 && wages.length < all.length, 'the seed has wage cases and others');
  await page.selectOption('#filter-dispute', 'wage_arrears');
  await page.waitForURL(/dispute=wage_arrears/);
  assert.equal(await page.locator('.shown').innerText(), `显示 ${wages.length} / ${all.length} 个案件`);
  // At least 10,000 yuan: the wage cases with such an amount (cases without one drop out).
  const big = wages.filter((c) => c.amount && Number(c.amount) >= 10000);
  await page.fill('#filter-min', '10000');
  await page.press('#filter-min', 'Tab');
  await page.waitForURL(/min=10000/);
  assert.equal(await page.locator('.shown').innerText(), `显示 ${big.length} / ${all.length} 个案件`);
  const names = await page.locator('table.board tbody tr.row td.case a').allInnerTexts();
  assert.deepEqual(names.sort(), big.map((c) => c.caseName).sort());
  // The same URL opens the same view, the fields showing their values.
  const other = await signedInPage(browser, 'wanglei', 'supervisor');
  await other.goto(page.url());
  await other.locator('table.board tbody tr.row').first().waitFor();
  assert.equal(await other.locator('#filter-dispute').inputValue(), 'wage_arrears');
  assert.equal(await other.locator('#filter-min').inputValue(), '10000');
  assert.equal(await other.locator('.shown').innerText(), `显示 ${big.length} / ${all.length} 个案件`);
  // A day range of the last call, and the call type.
  const day = all.find((c) => c.startTime)?.startTime.slice(0, 10);
  await page.click('text=清除筛选');
  await page.fill('#filter-from', day);
  await page.fill('#filter-to', day);
  await page.press('#filter-to', 'Tab');
  await page.waitForURL(new RegExp(`\\?from=${day}&to=${day}$`));
  const onDay = all.filter((c) => c.startTime && c.startTime.slice(0, 10) === day);
  assert.equal(await page.locator('.shown').innerText(), `显示 ${onDay.length} / ${all.length} 个案件`);
  await page.click('text=清除筛选');
  await page.selectOption('#filter-type', 'follow_up');
  await page.waitForURL(/type=follow_up/);
  assert.equal(await page.locator('.shown').innerText(), `显示 ${all.filter((c) => c.callType === 'follow_up').length} / ${all.length} 个案件`);
  await assertAccessible(page, 'board with filters');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
  await page.close();
  await other.close();
});

test('a filter saved under a name is offered again after a reload, applies, and can be deleted', async () => {
  const user = `presets${Date.now()}`;
  const page = await signedInPage(browser, user);
  await openBoard(page);
  await page.selectOption('#filter-stage', 'follow_up');
  await page.waitForURL(/stage=follow_up/);
  await page.getByLabel('把当前筛选保存为').fill('我的待回访');
  await page.getByRole('button', { name: '保存筛选' }).click();
  await page.locator('#preset-status', { hasText: '已保存筛选“我的待回访”' }).waitFor();
  // After a reload on the whole board, the saved one is there and applies.
  await page.goto(`${EDGE}/`);
  await page.locator('table.board tbody tr.row').first().waitFor({ timeout: 20000 });
  const option = page.locator('#preset optgroup[label="我保存的"] option', { hasText: '我的待回访' });
  await option.waitFor({ state: 'attached' });
  await page.selectOption('#preset', { label: '我的待回访' });
  await page.waitForURL(/\?stage=follow_up$/);
  assert.equal(await page.locator('#filter-stage').inputValue(), 'follow_up');
  // A common one: due for follow-up, for everyone.
  await page.selectOption('#preset', { label: '待回访' });
  await page.waitForURL(/\?stage=follow_up$/);
  // Deleted: gone after a reload too.
  await page.selectOption('#preset', { label: '我的待回访' });
  await page.getByRole('button', { name: '删除所选筛选' }).click();
  await page.locator('#preset-status', { hasText: '已删除' }).waitFor();
  assert.equal(await option.count(), 0);
  await page.reload();
  await page.locator('table.board tbody tr.row').first().waitFor({ timeout: 20000 });
  await page.locator('#preset').waitFor();
  assert.equal(await page.locator('#preset option', { hasText: '我的待回访' }).count(), 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});
