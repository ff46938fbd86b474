// 死信 / Dead letters (admins): a record the edge could not read is fixed and
// replayed from the screen and reaches the board; another is discarded with a
// reason; a mediator has neither the link nor the list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, EDGE, signedInPage, openCase, assertAccessible, edgeApi, pushNotes } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());

/** The open dead letter whose raw record holds `needle`. */
async function letterWith(needle) {
  const { status, body } = await edgeApi('GET', '/api/admin/dead-letters', 'admin1', 'admin');
  assert.equal(status, 200);
  const mine = body.deadLetters.filter((l) => l.raw.includes(needle));
  assert.equal(mine.length, 1, JSON.stringify(mine));
  return { letter: mine[0], open: body.deadLetters.length };
}

test('an admin fixes a dead letter and replays it, the board shows its QA total, and discards another with a reason', async () => {
  await control('/control/time', { advanceMs: 86_400_000 + (Date.now() % 10_000_000) });
  const c = await openCase();
  const placed = await edgeApi('POST', '/api/calls', 'zhangmin', 'mediator', { caseId: c.caseId, mediationId: String(c.mediationId), callAuto: 0, callPersonId: c.parties[0].personId });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const job = placed.body.results[0].jobId;
  // Later than any other result of the case, so it becomes the case's QA total: 19 of 25 is 76%.
  const report = '2032-01-01 09:00:00';
  const callId = `dl-fix-${Date.now()}`;
  const good = { call_id: callId, biz_id: '1', out_id: job, cell_number: '13900000000', success: true, error_code: 'success', error_msg: 'success',
    content_length: 10, duration: 10, start_time: report, report_time: report, type: '通话质检',
    result: JSON.stringify([{ item: '开场规范', full_score: 25, score: 19, problem: '无', suggestion: '无' }]) };
  const { biz_id: _, ...broken } = good;
  const junk = `dl-junk-${Date.now()}`;
  // A third stays open, so the header's count never drops to none here.
  await pushNotes([broken, { call_id: junk, success: true, type: '通话质检', result: '[]' }, { call_id: `dl-keep-${Date.now()}`, success: true, type: '通话质检', result: '[]' }]);
  const { letter, open } = await letterWith(callId);
  const { letter: other } = await letterWith(junk);

  // A mediator watches the case's row.
  const mediator = await signedInPage(browser, 'zhangmin', 'mediator');
  await mediator.goto(`${EDGE}/`);
  const row = mediator.locator(`table.board tr.row[data-case-id="${c.caseId}"]`);
  await row.waitFor({ timeout: 20000 });
  assert.equal(await mediator.locator('#nav-dead-letters').count(), 0);

  const page = await signedInPage(browser, 'admin1', 'admin');
  await page.goto(`${EDGE}/`);
  await page.locator('#nav-dead-letters-count').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#nav-dead-letters-count').innerText(), String(open));
  await page.locator('#nav-dead-letters').click();
  await page.waitForURL(`${EDGE}/dead-letters`);
  const item = page.locator(`#dl-${letter.id}`);
  await item.waitFor({ timeout: 20000 });
  assert.match(await item.locator('p.reason').innerText(), /biz_id/);
  await assertAccessible(page, 'dead letters');

  // A copy that is not JSON is refused in the page; nothing is sent.
  const copy = page.locator(`#dl-${letter.id}-record`);
  assert.deepEqual(JSON.parse(await copy.inputValue()), broken);
  await copy.fill('{ "call_id": ');
  await item.getByRole('button', { name: '修正后重放' }).click();
  assert.match(await page.locator('#dead-letters-status').innerText(), /^修正副本不是有效的 JSON:/);
  assert.equal((await letterWith(callId)).letter.replayedAt, null);

  // Fixed: replayed, gone from the open list, counted down, and on the board.
  await copy.fill(JSON.stringify(good, null, 2));
  await item.getByRole('button', { name: '修正后重放' }).click();
  await page.locator('#dead-letters-status', { hasText: `死信 #${letter.id} 已重放,记录已保存` }).waitFor({ timeout: 20000 });
  await item.waitFor({ state: 'detached', timeout: 20000 });
  assert.equal(await page.locator('#nav-dead-letters-count').innerText(), String(open - 1));
  await mediator.locator(`table.board tr.row[data-case-id="${c.caseId}"] td.qa`, { hasText: '76%' }).waitFor({ timeout: 20000 });

  // Discarding needs a reason.
  const second = page.locator(`#dl-${other.id}`);
  await second.getByRole('button', { name: '丢弃' }).click();
  assert.equal(await page.locator('#dead-letters-status').innerText(), '请填写丢弃原因');
  assert.equal(await page.evaluate(() => document.activeElement.id), `dl-${other.id}-reason`);
  await page.locator(`#dl-${other.id}-reason`).fill('测试推送,无需保存');
  await second.getByRole('button', { name: '丢弃' }).click();
  await page.locator('#dead-letters-status', { hasText: `死信 #${other.id} 已丢弃` }).waitFor({ timeout: 20000 });
  await second.waitFor({ state: 'detached', timeout: 20000 });
  assert.equal(await page.locator('#nav-dead-letters-count').innerText(), String(open - 2));

  // Handled ones on request: who did what, and no more actions.
  await page.locator('#dead-letters-all').check();
  await second.waitFor({ timeout: 20000 });
  assert.match(await second.innerText(), /由 admin1 丢弃:测试推送,无需保存/);
  assert.match(await item.innerText(), /由 admin1 重放/);
  assert.equal(await second.locator('button').count(), 0);

  // A mediator asking for the screen gets the edge's refusal, no list.
  await mediator.goto(`${EDGE}/dead-letters`);
  await mediator.locator('#dead-letters-list', { hasText: 'HTTP 403' }).waitFor({ timeout: 20000 });
  assert.equal(await mediator.locator('li.dead-letter').count(), 0);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(mediator.errors, []);
  await page.close();
  await mediator.close();
});
