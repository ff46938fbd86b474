// Writes the README's screenshots (docs/screenshots/*.png) from the running
// stack: the board, a case, a transcript with the note agent's results, the
// knowledge panel (search, chat with sources, saved conversations), the
// admins' dead letters and knowledge-base screens, the supervisor's
// attention queue and QA insights, the
// English board and the demo portal with two embedded boards. Run by
// scripts/screenshots.sh, which starts the stack.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launch, control, EDGE, CONTROL, signedInPage, openBoard, token } from './harness.mjs';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
mkdirSync(OUT, { recursive: true });

async function api(path, t) {
  const res = await fetch(`${EDGE}${path}`, { headers: { authorization: `Bearer ${t}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

/** A case with a connected call that has a transcript, a recording and note results. */
async function callWithNotes(t) {
  const board = (await api('/api/board', t)).cases;
  // Seeded calls ended before the sandbox started: have the note agent push them now.
  for (const c of board) {
    const calls = (await api(`/api/conversations?caseId=${encodeURIComponent(c.caseId)}`, t)).calls;
    for (const call of calls.filter((x) => x.recording && x.turns.length > 6)) {
      await control('/control/push', { jobId: call.jobId }).catch(() => {});
    }
  }
  await new Promise((r) => setTimeout(r, 2000));
  for (const c of board) {
    const calls = (await api(`/api/conversations?caseId=${encodeURIComponent(c.caseId)}`, t)).calls;
    const call = calls.find((x) => x.recording && x.turns.length > 6 && x.notes.filter((n) => n.success).length >= 2);
    if (call) return { caseId: c.caseId, jobId: call.jobId };
  }
  for (const c of board) {
    const calls = (await api(`/api/conversations?caseId=${encodeURIComponent(c.caseId)}`, t)).calls;
    const call = calls.find((x) => x.recording && x.notes.length > 0);
    if (call) return { caseId: c.caseId, jobId: call.jobId };
  }
  throw new Error('no call with note results in the sandbox');
}

const shot = async (page, name) => {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}${name}.png` });
  console.log(`docs/screenshots/${name}.png`);
};

await control('/control/reset', {});
const browser = await launch();
try {
  const t = await token('zhangmin', 'mediator');
  const page = await signedInPage(browser, 'zhangmin', 'mediator', { viewport: { width: 1360, height: 860 } });

  await openBoard(page);
  await shot(page, 'board');

  const { caseId, jobId } = await callWithNotes(t);
  await page.goto(`${EDGE}/cases/${caseId}`);
  await page.locator('#case-title').waitFor({ timeout: 20000 });
  await shot(page, 'case');

  await page.goto(`${EDGE}/cases/${caseId}/calls/${jobId}`);
  await page.locator('.conversation .turn').first().waitFor({ timeout: 20000 });
  await page.locator('.note').first().waitFor({ timeout: 20000 });
  await shot(page, 'transcript');

  await openBoard(page);
  await page.click('#kb-toggle');
  await page.locator('#knowledge').waitFor();
  await page.fill('#kb-keyword', '拖欠工资');
  await page.click('.kb-search button[type=submit]');
  await page.locator('.kb-hit').first().waitFor({ timeout: 20000 });
  await shot(page, 'knowledge');
  await page.close();

  // The supervisor's screens, over the results the note agent just pushed.
  const boss = await signedInPage(browser, 'wanglei', 'supervisor', { viewport: { width: 1360, height: 860 } });
  await boss.goto(`${EDGE}/attention`);
  await boss.locator('#attention-list li.entry').first().waitFor({ timeout: 20000 });
  await shot(boss, 'attention');
  await boss.goto(`${EDGE}/insights?from=2026-10-01&to=2026-12-31&bucket=week`);
  await boss.locator('#insights-overview').waitFor({ timeout: 20000 });
  await boss.waitForTimeout(300);
  await boss.screenshot({ path: `${OUT}insights.png`, fullPage: true });
  console.log('docs/screenshots/insights.png');
  await boss.close();

  // A record the note agent sent without its biz_id, as an admin finds it.
  const report = '2026-11-30 10:12:00';
  await fetch(`${EDGE}/webhooks/note-agent/sandbox-webhook-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ call_id: 'c-20261130-0042', out_id: jobId, cell_number: '13922111489', success: true, error_code: 'success', error_msg: 'success',
      content_length: 96, duration: 88, start_time: report, report_time: report, type: '通话质检',
      result: JSON.stringify([{ item: '开场规范', full_score: 10, score: 8, problem: '未报机构全称', suggestion: '开场说明调解委员会全称' }]) }]),
  });
  const admin = await signedInPage(browser, 'admin1', 'admin', { viewport: { width: 1360, height: 860 } });
  await admin.goto(`${EDGE}/dead-letters`);
  await admin.locator('li.dead-letter').first().waitFor({ timeout: 20000 });
  await shot(admin, 'dead-letters');
  // 知识库管理: a repository's articles, and its file library.
  await admin.goto(`${EDGE}/knowledge`);
  await admin.locator('button.repo[data-repo-id="102301"]').click();
  await admin.locator('#kba-faqs tbody tr').first().waitFor({ timeout: 20000 });
  await admin.click('#kba-tab-articles');
  await admin.locator('#kba-articles tbody tr').first().waitFor({ timeout: 20000 });
  await admin.click('#kba-new-article');
  await admin.selectOption('#kba-article-directory', '155201');
  await admin.fill('#kba-article-title', '工资可以分期支付吗?');
  await admin.fill('#kba-answer-1', '经双方协商一致,可以在调解协议中约定分期支付,并写明每期金额和期限。');
  await shot(admin, 'kb-admin-articles');
  await admin.click('#kba-tab-files');
  await admin.locator('#kba-files tbody tr').first().waitFor({ timeout: 20000 });
  await shot(admin, 'kb-admin-files');
  await admin.close();

  // The mediator's saved conversations.
  const asker = await signedInPage(browser, 'zhangmin', 'mediator', { viewport: { width: 1360, height: 860 } });
  await openBoard(asker);
  await asker.click('#kb-toggle');
  await asker.click('#kb-tab-chat');
  await asker.fill('#kb-question', '单位拖欠工资怎么办?');
  await asker.keyboard.press('Enter');
  await asker.locator('.chat .msg.bot').first().waitFor({ timeout: 20000 });
  await shot(asker, 'knowledge-chat');
  await asker.click('#kb-tab-conversations');
  await asker.locator('#kb-conversations li').first().waitFor({ timeout: 20000 });
  await shot(asker, 'knowledge-conversations');
  await asker.close();

  const en = await signedInPage(browser, 'zhangmin', 'mediator', { viewport: { width: 1360, height: 860 } });
  await openBoard(en);
  await en.selectOption('#language', 'en');
  await en.waitForFunction(() => document.documentElement.lang === 'en');
  await shot(en, 'board-en');
  await en.close();

  const portal = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await portal.goto(`${CONTROL}/portal`);
  for (const frame of ['#list-pane iframe', '#detail-pane iframe']) {
    const f = portal.frameLocator(frame);
    await f.locator('h1, h2, table').first().waitFor({ timeout: 30000 });
  }
  await portal.waitForTimeout(1500);
  await shot(portal, 'portal');
  await portal.close();
} finally {
  await browser.close();
}
