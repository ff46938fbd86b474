import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, CONTROL, EDGE, signedInPage, openBoard, backend, token, assertAccessible, callDirectly } from './harness.mjs';

let browser;
before(async () => {
  await control('/control/reset', {});
  browser = await launch();
});
after(async () => browser?.close());

async function placed(c) {
  assert.equal((await callDirectly(c)).status, 201);
}

test('a bulk call over five cases lists each outcome as it arrives', async () => {
  // A fresh day at 10:00 in Shanghai: the day's call counts start at zero.
  const now = (await (await fetch(`${CONTROL}/control/time`)).json()).nowMs;
  const day = 86_400_000;
  await control('/control/time', { setMs: (Math.floor((now + 8 * 3_600_000) / day) + 1) * day + 2 * 3_600_000 });
  const board = (await backend('/api/v1/mediation-timeline/v2/board')).data;
  const [mustWait, limited, taken, ...fresh] = board.filter((c) => !c.takeoverUser && c.stage !== 'accepted' && c.parties.length > 0).slice(0, 5);
  // `limited`'s party was called three times today, `mustWait`'s just now; `taken` is a person's.
  for (let i = 0; i < 3; i += 1) {
    if (i > 0) await control('/control/time', { advanceMs: 121_000 });
    await placed(limited);
  }
  await control('/control/time', { advanceMs: 121_000 });
  await placed(mustWait);
  const took = await fetch(`${EDGE}/api/cases/${taken.caseId}/takeover`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token('lihua')}`, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(took.status, 200);

  const page = await signedInPage(browser);
  await openBoard(page);
  const search = page.locator('#board-search');
  const picked = [mustWait, limited, taken, ...fresh];
  for (const [i, c] of picked.entries()) {
    await search.fill(c.caseId);
    // The search reaches the URL (and re-renders the rows) 400 ms later: tick after that.
    await page.waitForURL(new RegExp(`q=${c.caseId}`));
    const box = page.locator(`input[data-pick="${c.caseId}"]`);
    await box.waitFor();
    if (i === 0) {
      // From the keyboard: Space ticks it.
      await box.focus();
      await page.keyboard.press('Space');
    } else {
      await box.click();
    }
    assert.equal(await box.isChecked(), true, c.caseId);
  }
  await search.fill('');
  await page.locator('.bulk-bar', { hasText: '已选 5 个案件' }).waitFor();
  await assertAccessible(page, 'board with a selection');
  await page.getByRole('button', { name: '为所选案件发起 AI 外呼' }).click();
  await page.locator('#bulk-progress', { hasText: '正在逐个外呼' }).waitFor();
  await page.locator('#bulk-progress', { hasText: '批量外呼完成:5 个案件' }).waitFor({ timeout: 30000 });

  const outcome = async (c) => page.locator(`#bulk-outcomes li[data-case="${c.caseId}"]`).innerText();
  assert.equal(await outcome(mustWait), `${mustWait.caseName}: 须等待`);
  assert.equal(await outcome(limited), `${limited.caseName}: 已达当日上限`);
  assert.match(await outcome(taken), new RegExp(`^${taken.caseName}: 未发起 — .*接管`));
  for (const c of fresh) assert.equal(await outcome(c), `${c.caseName}: 已发起`);
  assert.equal(await page.locator('#bulk-outcomes li').count(), 5);

  // The whole run is in the trail: each case's call names the same run.
  const audit = await (await fetch(`${EDGE}/api/cases/${fresh[0].caseId}/audit`, { headers: { authorization: `Bearer ${await token('zhangmin')}` } })).json();
  const entry = audit.entries.find((e) => e.action === 'call');
  const run = entry.target.split(' · bulk run ')[1];
  assert.match(run, /^run-\d+$/);
  for (const c of picked) {
    // The party called is the one the case's row names (the last called), else its first.
    const party = [mustWait, limited].includes(c) ? c.parties[0].personId : (c.callPersonId ?? c.parties[0].personId);
    const trail = await (await fetch(`${EDGE}/api/cases/${c.caseId}/audit`, { headers: { authorization: `Bearer ${await token('zhangmin')}` } })).json();
    assert.equal(trail.entries.find((e) => e.action === 'call').target, `${party} · bulk run ${run}`, c.caseId);
  }

  // Clearing the selection unticks every row.
  await page.getByRole('button', { name: '清除选择' }).click();
  assert.equal(await page.locator('input[data-pick]:checked').count(), 0);
  assert.equal(await page.locator('.bulk-bar').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a bulk run can be stopped: the cases not reached are not called', async () => {
  await control('/control/reset', {});
  const board = (await backend('/api/v1/mediation-timeline/v2/board')).data;
  const three = board.filter((c) => !c.takeoverUser && c.stage !== 'accepted' && c.parties.length > 0).slice(0, 3);
  const calls = async () => (await (await fetch(`${CONTROL}/control/state`)).json()).calls;
  const page = await signedInPage(browser);
  await openBoard(page);
  for (const c of three) {
    await page.locator('#board-search').fill(c.caseId);
    await page.locator(`input[data-pick="${c.caseId}"]`).click();
  }
  const before = await calls();
  await page.getByRole('button', { name: '为所选案件发起 AI 外呼' }).click();
  // Stopped as soon as the first case's outcome is in (the next waits a second).
  await page.locator('#bulk-outcomes li').first().waitFor();
  await page.getByRole('button', { name: '停止' }).click();
  await page.locator('#bulk-progress', { hasText: '已停止:1 / 3 个案件已处理,其余未外呼' }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator('#bulk-outcomes li').count(), 1);
  // Only the first case was asked: one call more if it started, none if it had to wait.
  const first = await page.locator('#bulk-outcomes li').first().innerText();
  assert.equal((await calls()) - before, first.endsWith('已发起') ? 1 : 0, first);
  assert.deepEqual(page.errors, []);
  await page.close();
});
