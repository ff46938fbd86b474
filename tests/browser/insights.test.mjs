import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, control, EDGE, signedInPage, openCase, token, assertAccessible, pushNotes } from './harness.mjs';

let browser;
before(async () => {
  await control('/control/reset', {});
  browser = await launch();
});
after(async () => browser?.close());

function record(callId, type, report, result, job) {
  return {
    call_id: callId, biz_id: '60001', out_id: job, cell_number: '13922111489', success: true, error_code: 'success', error_msg: 'success',
    content_length: 100, duration: 50, start_time: report, report_time: report, type, result: JSON.stringify(result),
  };
}

/** A call placed through the edge by `user` (so insights know who placed it). */
async function placeAs(user) {
  const c = await openCase();
  const res = await fetch(`${EDGE}/api/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token(user)}`, 'content-type': 'application/json', 'idempotency-key': `ins-${Date.now()}-${Math.random()}` },
    body: JSON.stringify({ caseId: c.caseId, mediationId: String(c.mediationId), callAuto: 0, callPersonId: c.parties[0].personId }),
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return { c, job: body.results[0].jobId };
}

test('a supervisor reads QA insights as charts with tables, exports a view, and a mediator has no such page', async () => {
  const user = `ins${Date.now()}`;
  await control('/control/time', { advanceMs: 86_400_000 + (Date.now() % 10_000_000) });
  const a = await placeAs(user);
  await control('/control/time', { advanceMs: 121_000 });
  const b = await placeAs(user);
  const qa = (opening, identity) => [
    { item: '开场规范', full_score: 10, score: opening, problem: '未报机构名称', suggestion: '先说明身份' },
    { item: '身份核实', full_score: 15, score: identity, problem: '未核对姓名', suggestion: '核对姓名和案号' },
  ];
  await pushNotes([
    record(`ia${user}`, '通话质检', '2026-10-05 10:00:00', qa(2, 15), a.job),
    record(`ia${user}`, '通话摘要', '2026-10-05 10:00:00', { 履约情况: ['未支付'] }, a.job),
    record(`ib${user}`, '通话质检', '2026-10-06 10:00:00', qa(8, 6), b.job),
  ]);

  const page = await signedInPage(browser, 'wanglei', 'supervisor');
  await page.goto(`${EDGE}/`);
  await page.locator('#nav-insights').click();
  await page.waitForURL(`${EDGE}/insights`);
  // The range, by the form.
  await page.locator('#ins-from').fill('2026-10-05');
  await page.locator('#ins-to').fill('2026-10-06');
  await page.locator('#ins-mediator').fill(user);
  await page.getByRole('button', { name: '查看' }).click();
  await page.waitForURL(`${EDGE}/insights?from=2026-10-05&to=2026-10-06&bucket=day&mediator=${user}`);
  const overview = page.locator('#insights-overview');
  await overview.waitFor({ timeout: 20000 });
  assert.equal(await overview.innerText(), '2 通电话的质检总分平均得分率为 62%;最后一个时段比第一个时段 -12 个百分点');

  // Each chart is an image with words, and a table with the same figures.
  const total = page.locator('svg#chart-total');
  assert.equal(await total.getAttribute('role'), 'img');
  assert.equal(await page.locator('#chart-total-desc').textContent(), '2 个时段,最低 56%,最高 68%,最后一个时段 56%');
  assert.equal(await total.locator('circle').count(), 2);
  const totalTable = page.locator('table.chart-table', { has: page.locator('caption', { hasText: '质检总分趋势(平均得分率)(表格)' }) });
  assert.deepEqual(await totalTable.locator('tbody tr').allInnerTexts(), ['2026-10-05\t68%\t1', '2026-10-06\t56%\t1']);
  const items = page.locator('table.chart-table', { has: page.locator('caption', { hasText: '各质检项平均得分率(表格)' }) });
  assert.deepEqual(await items.locator('tbody tr').allInnerTexts(), ['开场规范\t50%\t2\t+60\t0 / 1 / 0 / 0 / 1', '身份核实\t70%\t2\t-60\t0 / 0 / 1 / 0 / 1']);
  assert.equal(await page.locator('svg#chart-items rect').count(), 2);
  assert.equal(await page.locator('svg#chart-item-trend g.series').count(), 2);
  // The lowest call links to its transcript.
  const lowest = page.locator('table.lowest tbody tr').first();
  assert.equal(await lowest.locator('a').getAttribute('href'), `/cases/${b.c.caseId}/calls/${b.job}`);
  assert.equal(await lowest.innerText(), `2026-10-06\t查看通话 · ${b.c.caseId}\t14/25 (56%)\t\n开场规范 8/10:未报机构名称 → 先说明身份\n身份核实 6/15:未核对姓名 → 核对姓名和案号`);
  await assertAccessible(page, 'QA insights');

  // A view exported as CSV is its table.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-csv="items"]').click()]);
  assert.equal(download.suggestedFilename(), 'qa-items-2026-10-05-2026-10-06.csv');
  const text = readFileSync(await download.path(), 'utf8');
  assert.equal(text, '\ufeff质检项,平均得分率,通话数,变化(百分点),分布 0–19 / 20–39 / 40–59 / 60–79 / 80–100%\r\n开场规范,50%,2,+60,0 / 1 / 0 / 0 / 1\r\n身份核实,70%,2,-60,0 / 0 / 1 / 0 / 1\r\n');
  await page.locator('#insights-status', { hasText: '已导出 qa-items-2026-10-05-2026-10-06.csv' }).waitFor();

  // By week, one bucket.
  await page.locator('#ins-bucket').selectOption('week');
  await page.getByRole('button', { name: '查看' }).click();
  await page.locator('#chart-total-desc', { hasText: '1 个时段' }).waitFor({ state: 'attached' });
  assert.deepEqual(await totalTable.locator('tbody tr').allInnerTexts(), ['2026-10-05\t62%\t2']);

  // By dispute kind: the case's own keeps both calls, another keeps none.
  // (The live hub files each case's kind as it reads the board: ask until it has.)
  const kind = a.c.disputeType;
  const other = ['wage_arrears', 'neighbour', 'consumer', 'tenancy'].find((k) => k !== kind);
  const boss = await token('wanglei', 'supervisor');
  for (let tries = 0; ; tries += 1) {
    const res = await fetch(`${EDGE}/api/insights/qa?from=2026-10-05&to=2026-10-06&mediator=${user}&dispute=${kind}`, { headers: { authorization: `Bearer ${boss}` } });
    if ((await res.json()).total.count === 2) break;
    assert.ok(tries < 40, `the calls were filed under ${kind} within 20 s`);
    await page.waitForTimeout(500);
  }
  await page.locator('#ins-dispute').selectOption(kind);
  await page.getByRole('button', { name: '查看' }).click();
  await page.waitForURL(`${EDGE}/insights?from=2026-10-05&to=2026-10-06&bucket=week&mediator=${user}&dispute=${kind}`);
  await page.locator('#chart-total-desc', { hasText: '1 个时段' }).waitFor({ state: 'attached' });
  assert.deepEqual(await totalTable.locator('tbody tr').allInnerTexts(), ['2026-10-05\t62%\t2']);
  await page.locator('#ins-dispute').selectOption(other);
  await page.getByRole('button', { name: '查看' }).click();
  await page.waitForURL(`${EDGE}/insights?from=2026-10-05&to=2026-10-06&bucket=week&mediator=${user}&dispute=${other}`);
  await page.locator('#insights-body', { hasText: '这段时间没有质检结果' }).waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#ins-dispute').inputValue(), other);

  // A mediator has no link, and the edge refuses the figures.
  const mediator = await signedInPage(browser, 'zhangmin', 'mediator');
  await mediator.goto(`${EDGE}/`);
  await mediator.locator('#nav-attention').waitFor();
  assert.equal(await mediator.locator('#nav-insights').count(), 0);
  await mediator.goto(`${EDGE}/insights`);
  await mediator.locator('#insights-body', { hasText: '统计失败' }).waitFor({ timeout: 20000 });
  assert.match(await mediator.locator('#insights-body').innerText(), /HTTP 403/);
  assert.equal(await mediator.locator('svg.chart').count(), 0);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(mediator.errors, []);
  await page.close();
  await mediator.close();
});
