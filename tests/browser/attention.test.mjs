import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, EDGE, signedInPage, openCase, assertAccessible, edgeApi } from './harness.mjs';

let browser;
before(async () => {
  await control('/control/reset', {});
  browser = await launch();
});
after(async () => {
  await control('/control/faults/notes', { lowScores: false, failureRate: 0.05 });
  await browser?.close();
});

/** A call placed through the edge on an open case (so the edge knows its case), then ended connected. */
async function finishedCall() {
  // A new day in the sandbox: the party may be called again.
  await control('/control/time', { advanceMs: 86_400_000 + (Date.now() % 10_000_000) });
  const c = await openCase();
  const placed = await edgeApi('POST', '/api/calls', 'zhangmin', 'mediator', { caseId: c.caseId, mediationId: String(c.mediationId), callAuto: 0, callPersonId: c.parties[0].personId });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const job = placed.body.results[0].jobId;
  assert.ok(job, JSON.stringify(placed.body));
  await control(`/control/calls/${job}/outcome`, { status: 'Succeeded' });
  return { c, job };
}

async function openQueue(page) {
  await page.goto(`${EDGE}/attention`);
  await page.locator('#attention-list').waitFor();
  await page.locator('.live[data-state="open"]').waitFor({ timeout: 20000 });
}

test('a supervisor sees the queue fill live from a low-score push, opens the evidence, assigns it, and the mediator sees it', async () => {
  const mediator = `att${Date.now()}`;
  const boss = await signedInPage(browser, 'wanglei', 'supervisor');
  const mine = await signedInPage(browser, mediator, 'mediator');
  await openQueue(boss);
  await openQueue(mine);

  // The call ends connected, and the sandbox's note agent pushes its (low) scores.
  await control('/control/faults/notes', { lowScores: true, failureRate: 0 });
  const { c, job } = await finishedCall();

  // The entry arrives on the open page without a reload, most urgent first.
  // (The first such entry: a call the note agent inspected twice has one per inspection.)
  const entry = boss.locator('#attention-list li.entry', { hasText: '质检总分偏低' }).filter({ has: boss.locator(`a.evidence[href="/cases/${c.caseId}/calls/${job}"]`) }).first();
  await entry.waitFor({ timeout: 20000 });
  assert.equal(await entry.locator('.reason').innerText(), '质检总分 26/100(26%),低于 60%');
  assert.equal(await entry.locator('.badge.sev-high').innerText(), '高');
  // A toast tells the supervisor, linking to the queue.
  const toast = boss.locator('#toasts .toast', { hasText: '需要人工介入' }).first();
  await toast.waitFor({ timeout: 20000 });
  assert.equal(await toast.locator('a').getAttribute('href'), '/attention');
  await assertAccessible(boss, 'the attention queue');
  // The header counts the open entries.
  const count = Number(await boss.locator('#nav-attention-count').innerText());
  assert.ok(Number.isInteger(count) && count >= 2, `count ${count}`);

  // The evidence opens the call's transcript and results.
  await entry.locator('a.evidence').click();
  await boss.waitForURL(`${EDGE}/cases/${c.caseId}/calls/${job}`);
  await boss.goBack();
  await boss.waitForURL(`${EDGE}/attention`);

  // Not the mediator's case: their queue does not have it.
  assert.equal(await mine.locator(`#attention-list a.evidence[href="/cases/${c.caseId}/calls/${job}"]`).count(), 0);

  // Assigned to the mediator…
  const again = boss.locator('#attention-list li.entry', { hasText: '质检总分偏低' }).filter({ has: boss.locator(`a.evidence[href="/cases/${c.caseId}/calls/${job}"]`) }).first();
  const id = await again.getAttribute('data-entry-id');
  await boss.locator(`#assignee-${id}`).fill(mediator);
  await boss.locator(`button[data-attention-assign="${id}"]`).click();
  await boss.locator('#attention-status', { hasText: '已更新' }).waitFor();
  await again.locator('.badge.assigned', { hasText: `已指派给 ${mediator}` }).waitFor();
  // The team view counts the case as the mediator's, with its open entries.
  const teamRow = boss.locator('#attention-team tbody tr', { has: boss.locator('th', { hasText: new RegExp(`^${mediator}$`) }) });
  await teamRow.waitFor();
  const [cases, , , , open] = await teamRow.locator('td').allInnerTexts();
  assert.equal(cases, '1');
  assert.ok(Number(open) >= 2, `open entries ${open}`);

  // …who sees the entry arrive live, and acknowledges it with a note.
  const theirs = mine.locator(`#attention-list li.entry[data-entry-id="${id}"]`);
  await theirs.waitFor({ timeout: 20000 });
  // The assignment is of the case: its other entries come with it, the low item among them.
  const item = mine.locator('#attention-list li.entry', { hasText: '质检项得分过低' }).filter({ has: mine.locator(`a.evidence[href="/cases/${c.caseId}/calls/${job}"]`) }).first();
  assert.equal(await item.locator('.reason').innerText(), '质检项「身份核实」得分 3/15(20%),不高于 40%');
  assert.equal(await mine.locator(`button[data-attention-assign]`).count(), 0, 'a mediator does not assign');
  await mine.locator(`#ack-note-${id}`).fill('已电话联系当事人,核对身份');
  await mine.locator(`button[data-attention-ack="${id}"]`).click();
  await mine.locator('#attention-status', { hasText: '已更新' }).waitFor();
  await theirs.waitFor({ state: 'detached' });
  await mine.locator('#attention-show-acked').click();
  await mine.locator(`#attention-list li.entry[data-entry-id="${id}"] .acked`, { hasText: `${mediator} 已处理:已电话联系当事人,核对身份` }).waitFor();
  await assertAccessible(mine, 'the handled entries');
  assert.deepEqual(boss.errors, []);
  assert.deepEqual(mine.errors, []);
  await boss.close();
  await mine.close();
});

test('a mediator reads the rules but cannot edit them; an admin edits one on the page', async () => {
  const id = `page-rule-${Date.now()}`;
  const rule = { id, name: '摘要提到投诉', severity: 'low', enabled: true, condition: { kind: 'tag', tag: '通话摘要', values: ['投诉'] } };
  assert.equal((await edgeApi('PUT', `/api/attention/rules/${id}`, 'root', 'admin', rule)).status, 200);

  const page = await signedInPage(browser, 'zhangmin', 'mediator');
  await openQueue(page);
  const row = page.locator(`#attention-rules tr[data-rule-id="${id}"]`);
  await row.waitFor();
  assert.equal(await row.innerText(), '摘要提到投诉\t低\t✓\t摘要「通话摘要」为:投诉');
  assert.equal(await page.locator('#attention-rules input, #attention-rules button').count(), 0);
  // And the edge refuses a mediator's edit whatever the page shows.
  assert.equal((await edgeApi('PUT', `/api/attention/rules/${id}`, 'zhangmin', 'mediator', rule)).status, 403);

  const admin = await signedInPage(browser, 'root', 'admin');
  await openQueue(admin);
  await admin.locator(`#rule-${id}-severity`).selectOption('high');
  await admin.locator(`#rule-${id}-values`).fill('投诉, 举报');
  await admin.locator(`button[data-rule-save="${id}"]`).click();
  await admin.locator('#attention-status', { hasText: '已保存规则“摘要提到投诉”' }).waitFor();
  const saved = (await edgeApi('GET', '/api/attention/rules', 'zhangmin', 'mediator')).body.rules.find((r) => r.id === id);
  assert.deepEqual(saved, { ...rule, severity: 'high', condition: { kind: 'tag', tag: '通话摘要', values: ['投诉', '举报'] } });
  // A threshold that is no number is refused by field, and nothing changes.
  await admin.locator('#rule-qa-total-low-percent').fill('');
  await admin.locator('button[data-rule-save="qa-total-low"]').click();
  await admin.locator('#attention-status', { hasText: '操作失败' }).waitFor();
  assert.match(await admin.locator('#attention-status').innerText(), /condition\.percent/);
  const total = (await edgeApi('GET', '/api/attention/rules', 'zhangmin', 'mediator')).body.rules.find((r) => r.id === 'qa-total-low');
  assert.equal(total.condition.percent, 60);
  await assertAccessible(admin, 'the rules editor');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(admin.errors, []);
  await page.close();
  await admin.close();
});

test('the board shows each case\'s latest QA total, and the low-score filter keeps the low ones', async () => {
  await control('/control/time', { advanceMs: 86_400_000 + (Date.now() % 10_000_000) });
  const c = await openCase();
  const placed = await edgeApi('POST', '/api/calls', 'zhangmin', 'mediator', { caseId: c.caseId, mediationId: String(c.mediationId), callAuto: 0, callPersonId: c.parties[0].personId });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const job = placed.body.results[0].jobId;
  // Later than any other result of the case: it is the case's latest; 2 of 25 is 8%.
  const report = '2031-06-01 09:00:00';
  const res = await fetch(`${EDGE}/webhooks/note-agent/sandbox-webhook-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ call_id: `qa-col-${Date.now()}`, biz_id: '1', out_id: job, cell_number: '13900000000', success: true, error_code: 'success', error_msg: 'success',
      content_length: 10, duration: 10, start_time: report, report_time: report, type: '通话质检',
      result: JSON.stringify([{ item: '开场规范', full_score: 25, score: 2, problem: '无', suggestion: '无' }]) }]),
  });
  assert.equal(res.status, 200);

  const page = await signedInPage(browser, 'zhangmin', 'mediator');
  await page.goto(`${EDGE}/`);
  const row = page.locator(`table.board tr.row[data-case-id="${c.caseId}"]`);
  await row.waitFor({ timeout: 20000 });
  assert.equal(await row.locator('td.qa').innerText(), '8%');
  assert.equal(await row.locator('td.qa').getAttribute('class'), 'num qa low');
  await page.locator('#filter-qa').selectOption('60');
  await page.waitForURL(`${EDGE}/?qa=60`);
  await row.waitFor();
  const cells = await page.locator('table.board tr.row td.qa').allInnerTexts();
  assert.ok(cells.length >= 1);
  assert.deepEqual(cells.filter((v) => !(/^\d+%$/.test(v) && Number(v.slice(0, -1)) < 60)), [], `every row shown is below 60%: ${cells}`);
  await assertAccessible(page, 'the board filtered by QA score');
  assert.deepEqual(page.errors, []);
  await page.close();
});
