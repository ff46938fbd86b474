import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, signedInPage, openBoard, assertAccessible } from './harness.mjs';

let browser;
before(async () => {
  await control('/control/reset', {});
  browser = await launch();
});
after(async () => browser?.close());

async function openPanel(page) {
  await openBoard(page);
  await page.click('#kb-toggle');
  await page.locator('#knowledge').waitFor();
}

test('search shows hits with highlights', async () => {
  const page = await signedInPage(browser);
  await openPanel(page);
  await page.fill('#kb-keyword', '拖欠工资');
  await page.click('.kb-search button[type=submit]');
  await page.locator('.kb-hit').first().waitFor();
  assert.ok((await page.locator('.kb-hit mark').count()) > 0);
  assert.equal(await page.locator('.kb-hit em').count(), 0, '<em> is turned into highlights, not kept as markup');
  await assertAccessible(page, 'knowledge panel');
  await page.close();
});

test('a hostile hit is rendered harmlessly', async () => {
  const marker = `X${Date.now()}`;
  await control('/control/knowledge/faqs', {
    question: `工资${marker} <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`,
    answer: `<a href="javascript:window.__pwned=3">点我</a> 工资 <iframe src="about:blank"></iframe>`,
  });
  const page = await signedInPage(browser);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await openPanel(page);
  await page.fill('#kb-keyword', `工资${marker}`);
  await page.click('.kb-search button[type=submit]');
  const hit = page.locator('.kb-hit', { hasText: marker });
  await hit.waitFor();
  assert.equal(await hit.locator('img, script, iframe, a').count(), 0);
  assert.match(await hit.innerText(), /<img src=x onerror=/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(dialogs, 0);
  await page.close();
});

test('Q&A chat keeps its conversation, also across screens', async () => {
  const page = await signedInPage(browser);
  await openPanel(page);
  await page.click('#kb-tab-chat');
  await page.fill('#kb-question', '单位拖欠工资怎么办?');
  await page.keyboard.press('Enter');
  await page.locator('.chat .msg.bot').first().waitFor();
  await page.fill('#kb-question', '押金不退怎么办');
  await page.keyboard.press('Enter');
  await page.locator('.chat .msg.bot').nth(1).waitFor();
  assert.equal(await page.locator('.chat .msg').count(), 4);
  // Open a case: the panel, and the conversation, stay.
  await page.locator('table.board tbody tr.row a').first().click();
  await page.locator('#case-title').waitFor();
  assert.equal(await page.locator('.chat .msg').count(), 4);
  await page.close();
});

test('a document opens through its media URL', async () => {
  const page = await signedInPage(browser);
  await openPanel(page);
  await page.fill('#kb-keyword', '人民调解法');
  await page.click('.kb-search button[type=submit]');
  const file = page.locator('.kb-hit[data-kind="FILE"]').first();
  await file.waitFor();
  const [tab] = await Promise.all([page.context().waitForEvent('page'), file.getByRole('button', { name: '打开原文' }).click()]);
  await tab.waitForURL(/\/media\//, { timeout: 10000 });
  assert.match(await tab.locator('body').innerText(), /人民调解/);
  await page.close();
});
