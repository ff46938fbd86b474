// 知识库管理 (admins) and the mediator's knowledge panel, end to end through
// the edge and the sandbox's Clink: an admin writes the knowledge base, a
// mediator finds what was written; saved conversations survive a reload;
// answers' sources open; mediators reach none of the admin screens or routes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, EDGE, signedInPage, openBoard, assertAccessible, edgeApi } from './harness.mjs';

let browser;
before(async () => {
  await control('/control/reset', {});
  browser = await launch();
});
after(async () => browser?.close());

/** Every text the status line showed, in order (a MutationObserver in the page). */
async function watchStatus(page, selector) {
  await page.evaluate((sel) => {
    window.__said = [];
    const el = document.querySelector(sel);
    new MutationObserver(() => window.__said.push(el.textContent)).observe(el, { childList: true, subtree: true, characterData: true });
  }, selector);
  return () => page.evaluate(() => window.__said);
}

async function openPanel(page) {
  await openBoard(page);
  await page.click('#kb-toggle');
  await page.locator('#knowledge').waitFor();
}

async function search(page, keyword) {
  await page.click('#kb-tab-search');
  await page.fill('#kb-keyword', keyword);
  await page.click('.kb-search button[type=submit]');
}

test('an admin creates, edits and deletes an article and uploads a file; a mediator finds them', async () => {
  const marker = `${Date.now() % 100000}`;
  const title = `分期付款怎么约定${marker}`;
  const page = await signedInPage(browser, 'admin1', 'admin');
  const fetched = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) fetched.push(new URL(r.url()).pathname.split('/').pop()); });
  await openBoard(page);
  assert.ok(!fetched.includes('split_kb_admin_screen.wasm'), 'the admin screen is not part of the first load');
  await page.click('#nav-kb-admin');
  await page.waitForURL(`${EDGE}/knowledge`);
  await page.locator('#kb-admin-title').waitFor({ timeout: 20000 });
  assert.ok(fetched.includes('split_kb_admin_screen.wasm'), fetched.join());

  // Repositories, the chosen one's directory tree and its FAQs.
  await page.locator('button.repo[data-repo-id="102301"]').click();
  await page.locator('#kba-directories li[data-dir-id="155202"]', { hasText: '农民工工资' }).waitFor({ timeout: 20000 });
  await page.locator('#kba-faqs tbody tr').first().waitFor({ timeout: 20000 });
  assert.match(await page.locator('#kba-faqs-pager .page-of').innerText(), /^第 1 \/ \d+ 页,共 \d+ 条$/);
  assert.equal(await page.locator('#kba-faqs tbody tr').count(), 10);
  await page.click('#kba-faqs-pager button:has-text("下一页")');
  await page.locator('#kba-faqs-pager .page-of', { hasText: /^第 2 \// }).waitFor();
  await assertAccessible(page, 'knowledge admin');

  // A new Q&A article: a title over the doc's 50 characters is refused in the page.
  await page.click('#kba-tab-articles');
  await page.locator('#kba-articles tbody tr').first().waitFor({ timeout: 20000 });
  await page.click('#kba-new-article');
  await page.selectOption('#kba-article-directory', '155201');
  await page.fill('#kba-article-title', '长'.repeat(51));
  await page.fill('#kba-answer-1', '双方可约定分三期支付,每期间隔不超过一个月。');
  await page.click('#kba-article-save');
  assert.equal(await page.locator('#kb-admin-status').innerText(), '未完成:title:must be at most 50 characters');
  await page.fill('#kba-article-title', title);
  await page.fill('#kba-article-similars', `分期怎么写${marker}\n能分几期${marker}`);
  await page.click('#kba-article-save');
  await page.locator('#kb-admin-status', { hasText: `已保存“${title}”` }).waitFor({ timeout: 20000 });
  await page.fill('#kba-keyword', marker);
  await page.click('#kba-article-filters button[type=submit]');
  const row = page.locator('#kba-articles tbody tr', { hasText: title });
  await row.waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#kba-articles tbody tr').count(), 1);

  // Edited: the form comes back filled; the answer changes.
  await row.getByRole('button', { name: '编辑' }).click();
  await page.locator('#kba-article-form').waitFor();
  assert.equal(await page.inputValue('#kba-article-title'), title);
  assert.equal(await page.inputValue('#kba-answer-1'), '双方可约定分三期支付,每期间隔不超过一个月。');
  await page.fill('#kba-answer-1', `双方可约定分两期支付,第二期在${marker}号前付清。`);
  await page.click('#kba-article-save');
  await page.locator('#kb-admin-status', { hasText: `已保存“${title}”` }).waitFor({ timeout: 20000 });
  await row.getByRole('button', { name: '查看' }).click();
  await page.locator('#kba-article-view .answers li', { hasText: `第二期在${marker}号前付清` }).waitFor({ timeout: 20000 });

  // A mediator finds it, with the edited answer.
  const mediator = await signedInPage(browser);
  await openPanel(mediator);
  await search(mediator, title);
  const hit = mediator.locator('.kb-hit', { hasText: title });
  await hit.waitFor({ timeout: 20000 });
  assert.match(await hit.locator('.kb-answer').innerText(), new RegExp(`第二期在${marker}号前付清`));

  // Deleted after confirming; the mediator no longer finds it.
  await row.getByRole('button', { name: '删除' }).click();
  assert.equal(await page.locator('[role=dialog] p').innerText(), `删除“${title}”?删除后无法恢复。`);
  await page.click('#confirm-delete');
  await page.locator('#kb-admin-status', { hasText: `已删除“${title}”` }).waitFor({ timeout: 20000 });
  await page.locator('#kba-no-articles').waitFor({ timeout: 20000 });
  await search(mediator, title);
  await hit.waitFor({ state: 'detached', timeout: 20000 });
  await mediator.locator('.kb-hit').first().waitFor({ timeout: 20000 });
  assert.equal(await mediator.locator('.kb-hit', { hasText: title }).count(), 0, 'other FAQs match its words; it is not among them');

  // A file: over 10 MB is refused in the page; a text file uploads with its progress shown.
  await page.click('#kba-tab-files');
  await page.locator('#kba-files tbody tr').first().waitFor({ timeout: 20000 });
  await page.selectOption('#kba-upload-directory', '155205');
  assert.equal(await page.inputValue('#kba-upload-enterprise'), '8000376', 'taken from the library\'s own records');
  await page.setInputFiles('#kba-upload-file', { name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
  await page.click('#kba-upload-submit');
  assert.equal(await page.locator('#kb-admin-status').innerText(), '文件超过 10 MB');
  const said = await watchStatus(page, '#kb-admin-status');
  const name = `欠薪分期范本${marker}.txt`;
  await page.setInputFiles('#kba-upload-file', { name, mimeType: 'text/plain', buffer: Buffer.from(`分期付款协议范本:第二期于${marker}日前支付。`) });
  await page.click('#kba-upload-submit');
  await page.locator('#kb-admin-status', { hasText: `已上传“${name}”` }).waitFor({ timeout: 20000 });
  const shown = await said();
  assert.equal(shown[0], '正在上传… 0%');
  assert.equal(shown.at(-1), `已上传“${name}”`);
  const fileRow = page.locator('#kba-files tbody tr', { hasText: name });
  await fileRow.waitFor({ timeout: 20000 });

  // The admin previews it; the mediator finds it by its text and opens it.
  const [preview] = await Promise.all([page.context().waitForEvent('page'), fileRow.getByRole('button', { name: '预览' }).click()]);
  await preview.waitForURL(/\/media\//, { timeout: 10000 });
  assert.match(await preview.locator('body').innerText(), new RegExp(`第二期于${marker}日前支付`));
  await mediator.selectOption('#kb-kind', 'FILE');
  await search(mediator, `第二期于${marker}日前支付`);
  const fileHit = mediator.locator('.kb-hit[data-kind="FILE"]', { hasText: name });
  await fileHit.waitFor({ timeout: 20000 });
  const [tab] = await Promise.all([mediator.context().waitForEvent('page'), fileHit.getByRole('button', { name: '打开原文' }).click()]);
  await tab.waitForURL(/\/media\//, { timeout: 10000 });
  assert.match(await tab.locator('body').innerText(), new RegExp(`第二期于${marker}日前支付`));

  // Deleted after confirming.
  await fileRow.getByRole('button', { name: '删除' }).click();
  await page.click('#confirm-delete');
  await page.locator('#kb-admin-status', { hasText: `已删除“${name}”` }).waitFor({ timeout: 20000 });
  await fileRow.waitFor({ state: 'detached', timeout: 20000 });
  assert.deepEqual(page.errors, []);
  assert.deepEqual(mediator.errors, []);
  await page.close();
  await mediator.close();
});

test('a mediator continues a saved conversation after a reload, opens an answer\'s sources, renames and deletes it', async () => {
  const page = await signedInPage(browser, 'chenjing', 'mediator');
  await openPanel(page);
  await page.click('#kb-tab-chat');
  await page.fill('#kb-question', '单位拖欠工资怎么办?');
  await page.keyboard.press('Enter');
  const answer = page.locator('.chat .msg.bot').first();
  await answer.waitFor({ timeout: 20000 });
  assert.equal(await answer.locator('button[data-faq-source]').innerText(), '问答 · 单位拖欠工资怎么办?');
  assert.equal(await answer.locator('button[data-file-id]').count(), 1);

  // After a reload, the conversation is in my list and continues.
  await page.reload();
  await page.locator('table.board tbody tr.row').first().waitFor({ timeout: 20000 });
  await page.click('#kb-toggle');
  await page.click('#kb-tab-conversations');
  const item = page.locator('#kb-conversations li');
  await item.first().waitFor({ timeout: 20000 });
  assert.equal(await item.count(), 1);
  assert.equal(await item.locator('.title').innerText(), '单位拖欠工资怎么办?');
  await item.getByRole('button', { name: '继续' }).click();
  await page.locator('#kb-chat-said', { hasText: '已打开会话“单位拖欠工资怎么办?”' }).waitFor({ timeout: 20000 });
  assert.equal(await page.locator('.chat .msg').count(), 2);
  await page.fill('#kb-question', '押金不退怎么办');
  await page.keyboard.press('Enter');
  await page.locator('.chat .msg.bot').nth(1).waitFor({ timeout: 20000 });
  assert.equal(await page.locator('.chat .msg').count(), 4);
  const listed = await edgeApi('GET', '/api/clink/aikb/list_conversations?offset=0&limit=10', 'chenjing', 'mediator');
  assert.equal(listed.status, 200);
  assert.equal(listed.body.totalCount, 1, 'the same conversation continued, no new one');

  // An answer's sources open: the FAQ in the search tab, the document in a new tab.
  const first = page.locator('.chat .msg.bot').first();
  await first.locator('button[data-faq-source]').click();
  assert.equal(await page.inputValue('#kb-keyword'), '单位拖欠工资怎么办?');
  assert.equal(await page.inputValue('#kb-kind'), 'FAQ');
  await page.locator('.kb-hit[data-kind="FAQ"]', { hasText: '单位拖欠工资怎么办' }).first().waitFor({ timeout: 20000 });
  await page.click('#kb-tab-chat');
  const [doc] = await Promise.all([page.context().waitForEvent('page'), first.locator('button[data-file-id]').click()]);
  await doc.waitForURL(/\/media\//, { timeout: 10000 });

  // The FAQ's attachment opens through the FAQ media URL.
  const faq = page.locator('.kb-hit[data-kind="FAQ"]', { hasText: '单位拖欠工资怎么办' }).first();
  await page.click('#kb-tab-search');
  const [media] = await Promise.all([page.context().waitForEvent('page'), faq.locator('button[data-faq-media]').click()]);
  await media.waitForURL(/\/media\/file\/attachment\//, { timeout: 10000 });
  assert.match(await media.locator('body').innerText(), /劳动合同法工资与经济补偿条款摘编/);

  // Renamed (a name over 10 characters is refused in the page), then deleted after confirming.
  await page.click('#kb-tab-conversations');
  await item.getByRole('button', { name: '改名' }).click();
  await page.evaluate(() => { document.querySelector('#kb-rename').removeAttribute('maxlength'); });
  await page.fill('#kb-rename', '一二三四五六七八九十一');
  await page.click('#kb-conversations button[type=submit]');
  assert.equal(await page.locator('#kb-conversations-said').innerText(), '新名称(1–10 个字):must be 1 to 10 characters');
  await page.fill('#kb-rename', '欠薪咨询');
  await page.click('#kb-conversations button[type=submit]');
  await page.locator('#kb-conversations-said', { hasText: '会话已改名' }).waitFor({ timeout: 20000 });
  await page.locator('#kb-conversations li .title', { hasText: '欠薪咨询' }).waitFor({ timeout: 20000 });
  await item.getByRole('button', { name: '删除' }).click();
  assert.equal(await page.locator('[role=dialog] p').innerText(), '删除会话“欠薪咨询”?删除后无法恢复。');
  await page.click('#confirm-delete');
  await page.locator('#knowledge p.empty', { hasText: '还没有保存的会话' }).waitFor({ timeout: 20000 });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('search results are paged and narrowed by kind and repository', async () => {
  const page = await signedInPage(browser);
  await openPanel(page);
  await search(page, '工资');
  await page.locator('.kb-hit').first().waitFor({ timeout: 20000 });
  const total = Number((await page.locator('#kb-pager .page-of').innerText()).match(/^第 1 \/ \d+ 页,共 (\d+) 条$/)[1]);
  assert.ok(total > 10, `more than a page of hits (${total})`);
  assert.equal(await page.locator('.kb-hit').count(), 10);
  await page.click('#kb-pager button:has-text("下一页")');
  await page.locator('#kb-pager .page-of', { hasText: /^第 2 \// }).waitFor({ timeout: 20000 });

  await page.selectOption('#kb-kind', 'FILE');
  await search(page, '工资');
  await page.locator('#kb-pager .page-of', { hasText: /^第 1 \// }).waitFor({ timeout: 20000 });
  const kinds = await page.locator('.kb-hit').evaluateAll((hits) => [...new Set(hits.map((h) => h.dataset.kind))]);
  assert.deepEqual(kinds, ['FILE']);
  await page.selectOption('#kb-kind', '');
  await page.selectOption('#kb-repo', '102302');
  await search(page, '调解');
  await page.locator('.kb-hit').first().waitFor({ timeout: 20000 });
  const narrowed = await edgeApi('POST', '/api/clink/aikb/search_knowledge_on_open', 'zhangmin', 'mediator', { keyword: '调解', repositoryIds: [102302], offset: 0, limit: 10 });
  const titles = await page.locator('.kb-hit h3').allInnerTexts();
  assert.equal(titles.length, narrowed.body.result.length);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a mediator reaches none of the admin screens or routes', async () => {
  const page = await signedInPage(browser);
  await openBoard(page);
  assert.equal(await page.locator('#nav-kb-admin').count(), 0);
  assert.equal(await page.locator('#nav-dead-letters').count(), 0);
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/api/clink/')) asked.push(r.url()); });
  await page.goto(`${EDGE}/knowledge`);
  await page.locator('#kb-admin-forbidden', { hasText: '只有管理员可以管理知识库。' }).waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#kba-tab-articles').count(), 0);
  assert.deepEqual(asked, [], 'the screen asks the edge for nothing');
  // And the edge refuses every management route to a mediator.
  for (const [method, path, body] of [
    ['POST', '/api/clink/kb/create_article', { kbId: 102301, kbType: 0, directoryId: 155201, title: 't', agentEnabled: 1, answers: [{ answer: 'a' }] }],
    ['POST', '/api/clink/kb/delete_article', { id: 1 }],
    ['POST', '/api/clink/kb/files_list', { kbId: 102301 }],
    ['GET', '/api/clink/kb/page_standard_question?botId=102303&offset=0&limit=10'],
    ['GET', '/api/admin/dead-letters'],
  ]) {
    const r = await edgeApi(method, path, 'zhangmin', 'mediator', body);
    assert.equal(r.status, 403, `${method} ${path}: ${JSON.stringify(r.body)}`);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('an admin keeps the bot\'s knowledge: a standard question with an answer and a phrase, renamed, then deleted', async () => {
  const page = await signedInPage(browser, 'admin1', 'admin');
  await page.goto(`${EDGE}/knowledge`);
  await page.locator('button.repo[data-repo-id="102303"]').waitFor({ timeout: 20000 });
  await page.click('#kba-tab-bot');
  const title = `第二期哪天付${Date.now() % 10000}`;
  await page.fill('#kba-question-title', title);
  await page.click('#kba-question-form button[type=submit]');
  await page.locator('#kb-admin-status', { hasText: `已保存“${title}”` }).waitFor({ timeout: 20000 });
  const question = page.locator('#kba-questions li', { hasText: title });
  await question.waitFor({ timeout: 20000 });
  await question.getByRole('button', { name: '查看' }).click();
  await page.locator('#kba-question-detail-title', { hasText: title }).waitFor();
  await page.fill('#kba-new-answer', '按协议 3 月 16 日前付清。');
  await page.locator('#kba-question-detail form').first().locator('button[type=submit]').click();
  await page.locator('#kba-bot-answers li', { hasText: '按协议 3 月 16 日前付清。' }).waitFor({ timeout: 20000 });
  await page.fill('#kba-new-corpus', '第二笔啥时候给');
  await page.locator('#kba-question-detail form').nth(1).locator('button[type=submit]').click();
  await page.locator('#kba-corpora li', { hasText: '第二笔啥时候给' }).waitFor({ timeout: 20000 });
  // Renamed, then deleted after confirming: Clink keeps it in the pages, marked deleted.
  await question.getByRole('button', { name: '改名' }).click();
  assert.equal(await page.inputValue('#kba-question-title'), title);
  await page.fill('#kba-question-title', `${title}?`);
  await page.click('#kba-question-form button[type=submit]');
  const renamed = page.locator('#kba-questions li', { hasText: `${title}?` });
  await renamed.waitFor({ timeout: 20000 });
  await renamed.getByRole('button', { name: '删除' }).click();
  await page.click('#confirm-delete');
  await page.locator('#kba-questions li.deleted', { hasText: `${title}?` }).waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#kba-questions li.deleted', { hasText: `${title}?` }).locator('.chip').innerText(), '已删除');
  assert.deepEqual(page.errors, []);
  await page.close();
});
