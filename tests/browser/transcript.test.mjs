import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, EDGE, signedInPage, assertAccessible, backend } from './harness.mjs';

let browser;
before(async () => {
  await control('/control/reset', {});
  browser = await launch();
});
after(async () => browser?.close());

/** A seeded connected call with a long conversation, and its case. */
async function longCall() {
  const logs = (await backend('/api/v1/outbound-bot/conversation-log')).data;
  const log = logs.filter((l) => l.recordUrl).sort((a, b) => b.conversations.length - a.conversations.length)[0];
  const board = (await backend('/api/v1/mediation-timeline/v2/board')).data;
  for (const c of board) {
    const mine = (await backend(`/api/v1/outbound-bot/conversation-log?caseId=${c.caseId}`)).data;
    if (mine.some((m) => m.jobId === log.jobId)) return { caseId: c.caseId, jobId: log.jobId, turns: JSON.parse(log.conversations) };
  }
  throw new Error('no case for the call');
}

test('turns, markdown, markers, the player and seeking', async () => {
  const { caseId, jobId, turns } = await longCall();
  const page = await signedInPage(browser);
  await page.goto(`${EDGE}/cases/${caseId}/calls/${jobId}`);
  await page.locator('.conversation .turn').first().waitFor({ timeout: 20000 });
  const spoken = turns.filter((t) => t.action !== 'BeginDialogue' && t.action !== 'EndDialogue');
  assert.equal(await page.locator('.conversation .turn').count(), spoken.length);
  assert.equal(await page.locator('.conversation .marker').count(), 2, 'begin and end of dialogue');
  assert.ok((await page.locator('.turn.robot').count()) > 0 && (await page.locator('.turn.party').count()) > 0);
  // The recording loads into the player with the call's length.
  const audio = page.locator('.player audio');
  await audio.waitFor();
  await page.waitForFunction(() => document.querySelector('.player audio').duration > 0);
  const duration = await audio.evaluate((a) => a.duration);
  const span = (turns[turns.length - 1].timestamp - turns[0].timestamp) / 1000;
  assert.ok(Math.abs(duration - span) < 1.5, `${duration} vs ${span}`);
  // Clicking a turn seeks to it and highlights it.
  const third = page.locator('.conversation .turn').nth(2);
  await third.locator('.turn-seek').click();
  const index = Number(await third.getAttribute('data-turn'));
  const expected = (turns[index].timestamp - turns[0].timestamp) / 1000;
  await page.waitForFunction(() => document.querySelector('.turn.playing') !== null);
  const at = await audio.evaluate((a) => a.currentTime);
  assert.ok(Math.abs(at - expected) < 1.5, `seek ${at} vs ${expected}`);
  assert.equal(await page.locator('.turn.playing').getAttribute('data-turn'), String(index));
  await assertAccessible(page, 'transcript');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('robot scripts render as markdown without injecting HTML', async () => {
  const logs = (await backend('/api/v1/outbound-bot/conversation-log')).data;
  const withList = logs.find((l) => l.conversations.includes('**'));
  const board = (await backend('/api/v1/mediation-timeline/v2/board')).data;
  let caseId;
  for (const c of board) {
    const mine = (await backend(`/api/v1/outbound-bot/conversation-log?caseId=${c.caseId}`)).data;
    if (mine.some((m) => m.jobId === withList.jobId)) { caseId = c.caseId; break; }
  }
  const page = await signedInPage(browser);
  await page.goto(`${EDGE}/cases/${caseId}/calls/${withList.jobId}`);
  await page.locator('.turn.robot .bubble strong').first().waitFor({ timeout: 20000 });
  assert.ok((await page.locator('.turn.robot .bubble li').count()) > 0, 'lists rendered');
  assert.equal(await page.locator('.bubble script, .bubble img').count(), 0);
  await page.close();
});

test('note results appear live while the transcript is open', async () => {
  // A fresh call, ended connected; the note agent's push is held until the page is open.
  await control('/control/faults/notes', { paused: true, failureRate: 0 });
  const board = (await backend('/api/v1/mediation-timeline/v2/board')).data;
  const c = board.find((x) => !x.takeoverUser && x.stage === 'mediating') ?? board.find((x) => !x.takeoverUser && x.stage !== 'accepted');
  await control('/control/time', { advanceMs: 86400000 + (Date.now() % 1000000) });
  const res = await fetch(`${process.env.E2E_MEDIATION ?? 'http://127.0.0.1:18788'}/api/v1/outbound-bot/call-v2`, {
    method: 'POST',
    headers: { authorization: 'Bearer sandbox-mediation-token', 'content-type': 'application/json' },
    body: JSON.stringify({ caseId: c.caseId, mediationId: String(c.mediationId), callAuto: 0, callPersonId: c.parties[0].personId }),
  });
  const job = (await res.json()).data[0].jobId;
  await control(`/control/calls/${job}/outcome`, { status: 'Succeeded' });
  await control('/control/faults/notes', { forceFailure: false });

  const page = await signedInPage(browser);
  await page.goto(`${EDGE}/cases/${c.caseId}/calls/${job}`);
  await page.locator('#notes-none').waitFor({ timeout: 20000 });
  await page.waitForSelector('#live-state[data-state="open"]');
  await control('/control/faults/notes', { paused: false });
  await page.locator('#notes-new').waitFor({ timeout: 15000 });
  await page.locator('.note').first().waitFor();
  // Inference never fails in this test (failureRate 0): both results arrive.
  await page.locator('.note.quality').waitFor();
  await page.locator('.note.summary').waitFor();
  const total = Number(await page.locator('.note.quality .score').innerText());
  assert.ok(Number.isInteger(total) && total >= 0 && total <= 100, `${total}`);
  assert.equal(await page.locator('.note.quality .qi-items li').count(), 6);
  assert.equal(await page.locator('.note.quality [role=meter]').count(), 6);
  await control('/control/faults/notes', { failureRate: 0.05 });
  await page.close();
});

test('a failed inference is shown as failed', async () => {
  const board = (await backend('/api/v1/mediation-timeline/v2/board')).data;
  const c = board.find((x) => !x.takeoverUser && x.stage !== 'accepted');
  await control('/control/time', { advanceMs: 86400000 + (Date.now() % 1000000) });
  await control('/control/faults/notes', { forceFailure: true });
  const res = await fetch(`${process.env.E2E_MEDIATION ?? 'http://127.0.0.1:18788'}/api/v1/outbound-bot/call-v2`, {
    method: 'POST',
    headers: { authorization: 'Bearer sandbox-mediation-token', 'content-type': 'application/json' },
    body: JSON.stringify({ caseId: c.caseId, mediationId: String(c.mediationId), callAuto: 0, callPersonId: c.parties[1].personId }),
  });
  const job = (await res.json()).data[0].jobId;
  await control(`/control/calls/${job}/outcome`, { status: 'Succeeded' });
  const page = await signedInPage(browser);
  for (let i = 0; i < 30; i++) {
    const d = await control('/control/deliveries');
    if (d.deliveries.some((x) => x.jobId === job && x.state === 'delivered')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await page.goto(`${EDGE}/cases/${c.caseId}/calls/${job}`);
  await page.locator('.note.failed').first().waitFor({ timeout: 20000 });
  assert.match(await page.locator('.note.failed').first().innerText(), /推理失败/);
  await control('/control/faults/notes', { forceFailure: false });
  await page.close();
});

test('a call whose turns cannot be read says so, keeps its recording, and shows the raw text to supervisors', async () => {
  await control('/control/reset', {});
  const { caseId, jobId } = await longCall();
  await control(`/control/calls/${jobId}/corrupt-log`, {});
  const page = await signedInPage(browser);
  await page.goto(`${EDGE}/cases/${caseId}`);
  const row = page.locator(`.timeline li[data-job-id="${jobId}"]`);
  await row.waitFor({ timeout: 20000 });
  assert.match(await row.innerText(), /通话内容无法解析/);
  assert.ok((await page.locator('.timeline li').count()) > 1, 'the other calls are listed too');
  await page.goto(`${EDGE}/cases/${caseId}/calls/${jobId}`);
  await page.locator('#turns-unreadable').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#raw-conversations').count(), 0, 'a mediator does not get the raw text');
  await page.locator('.player audio').waitFor();
  await assertAccessible(page, 'unreadable transcript');
  const sup = await signedInPage(browser, 'wanglei', 'supervisor');
  await sup.goto(`${EDGE}/cases/${caseId}/calls/${jobId}`);
  await sup.locator('#raw-conversations').waitFor({ timeout: 20000 });
  assert.ok((await sup.locator('#raw-conversations').innerText()).startsWith('[{'));
  assert.deepEqual(page.errors, []);
  assert.deepEqual(sup.errors, []);
  await sup.close();
  await page.close();
  await control('/control/reset', {});
});

test('a supervisor opens the earlier versions of a note result; a mediator sees that there are some', async () => {
  await control('/control/reset', {});
  const { caseId, jobId } = await longCall();
  const record = (score) => ({
    call_id: `hist-${jobId}`, biz_id: '77', out_id: jobId, success: true, error_code: 'success',
    report_time: '2026-11-22 10:00:00', type: '通话质检',
    result: JSON.stringify([{ item: '开场规范', full_score: 10, score, problem: '无', suggestion: '保持' }]),
  });
  for (const score of [4, 8]) {
    const res = await fetch(`${EDGE}/webhooks/note-agent/sandbox-webhook-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([record(score)]) });
    assert.equal(res.status, 200);
  }
  const sup = await signedInPage(browser, 'wanglei', 'supervisor');
  await sup.goto(`${EDGE}/cases/${caseId}/calls/${jobId}`);
  const open = sup.locator(`#notes button.note-history[data-history="hist-${jobId}"]`);
  await open.waitFor({ timeout: 20000 });
  await open.click();
  const versions = sup.locator('#note-history li.version');
  await versions.first().waitFor();
  assert.equal(await versions.count(), 2);
  assert.equal(await sup.locator('#note-history li.version.current .qi-score').innerText(), '8 / 10');
  assert.equal(await sup.locator('#note-history li.version:not(.current) .qi-score').innerText(), '4 / 10');
  await assertAccessible(sup, 'note history');
  await sup.close();
  const page = await signedInPage(browser);
  await page.goto(`${EDGE}/cases/${caseId}/calls/${jobId}`);
  await page.locator('#notes .note-versions').first().waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#notes button.note-history').count(), 0);
  await page.close();
});

test('a mediator sees personal data masked; a supervisor can reveal it, and the reveal is audited', async () => {
  // The seeded agreement call whose draft names the party's WeChat id.
  const caseId = '202601301030001111';
  const jobId = '1769760284652-4b3e-87db-ae561726fcd8';
  const url = `${EDGE}/cases/${caseId}/calls/${jobId}`;
  const mediator = await signedInPage(browser);
  await mediator.goto(url);
  await mediator.locator('.conversation .turn').first().waitFor({ timeout: 20000 });
  const text = await mediator.locator('.conversation').innerText();
  assert.ok(text.includes('微信号li********79') && !text.includes('liusujie7879'), text);
  assert.ok(text.includes('2026年2月6日前支付1500元'), 'amounts and dates stay');
  assert.match(await mediator.locator('#privacy-note').innerText(), /个人信息.*已隐藏/);
  assert.equal(await mediator.locator('#reveal-texts').count(), 0, 'a mediator cannot reveal');
  assert.deepEqual(mediator.errors, []);
  await mediator.close();

  const sup = await signedInPage(browser, 'wanglei', 'supervisor');
  await sup.goto(url);
  await sup.locator('#reveal-texts').waitFor({ timeout: 20000 });
  assert.ok(!(await sup.locator('.conversation').innerText()).includes('liusujie7879'), 'masked until asked');
  await sup.click('#reveal-texts');
  await sup.locator('#privacy-revealed').waitFor({ timeout: 15000 });
  assert.ok((await sup.locator('.conversation').innerText()).includes('微信号liusujie7879'));
  assert.equal(await sup.locator('#privacy-note').count(), 0);
  await assertAccessible(sup, 'revealed transcript');
  // The case's audit trail shows who looked.
  await sup.goto(`${EDGE}/cases/${caseId}`);
  const entry = sup.locator('.audit li[data-action="reveal"]').first();
  await entry.waitFor({ timeout: 15000 });
  assert.match(await entry.innerText(), /wanglei 查看未遮盖内容 · 1769760284652-4b3e-87db-ae561726fcd8 → 200/);
  assert.deepEqual(sup.errors, []);
  await sup.close();
});
