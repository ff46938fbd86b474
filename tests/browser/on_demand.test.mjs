// The screens a mediator does not need for the board (case, call, 待处理,
// 质检分析) are modules of their own, fetched when first opened
// (app/src/screens/on_demand.rs, scripts/app-wasm.sh).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, EDGE, signedInPage, openBoard, openCase } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());
beforeEach(async () => { await control('/control/reset', {}); });

/** The names of the wasm files the page fetched, in order. */
function wasmFetched(page) {
  const names = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.wasm')) names.push(path.split('/').pop());
  });
  return names;
}

test('the board loads only the main module; the case screen\'s module arrives when a case opens', async () => {
  const page = await signedInPage(browser);
  const fetched = wasmFetched(page);
  await openBoard(page);
  await page.locator('#nav-attention').waitFor();
  assert.deepEqual(fetched, ['app_bg.wasm']);
  // The board's own link to a case, as a mediator follows it.
  // That case's own link (rows may reorder as live changes arrive).
  const first = page.locator('table.board tbody tr.row a[href^="/cases/"]').first();
  const href = await first.getAttribute('href');
  const link = page.locator(`table.board tbody tr.row a[href="${href}"]`);
  const name = await link.innerText();
  await link.click();
  await page.locator('#case-title').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#case-title').innerText(), name);
  assert.ok(fetched.includes('split_case_screen.wasm'), fetched.join());
  assert.ok(!fetched.includes('split_insights_screen.wasm'), fetched.join());
  assert.ok(!fetched.includes('split_attention_screen.wasm'), fetched.join());
  await page.close();
});

test('a screen whose module cannot be fetched says so, and the retry opens it', async () => {
  const c = await openCase();
  const page = await signedInPage(browser);
  let refused = 0;
  await page.route('**/split_case_screen.wasm', (route) => {
    if (refused === 0) {
      refused += 1;
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  // The loader logs the failed fetch; that is expected here, a page error is not.
  await page.goto(`${EDGE}/cases/${c.caseId}`);
  const alert = page.locator('main [role="alert"]');
  await alert.waitFor({ timeout: 20000 });
  assert.equal(await alert.locator('p').innerText(), '这部分页面没有加载成功(网络可能中断)。');
  assert.equal(refused, 1);
  assert.equal(await page.locator('#case-title').count(), 0);
  await alert.getByRole('button', { name: '重试' }).click();
  await page.locator('#case-title').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#case-title').innerText(), c.caseName);
  assert.equal(await page.locator('main [role="alert"]').count(), 0);
  // The board is still alive: its own link still works.
  await page.getByRole('link', { name: '返回看板' }).click();
  await page.locator('table.board tbody tr.row').first().waitFor({ timeout: 20000 });
  await page.close();
});

test('a screen loaded on demand stays in the page while its own data reloads: a call placed keeps its dialog and outcomes', async () => {
  await control('/control/reset', {});
  const c = await openCase();
  const page = await signedInPage(browser);
  await page.goto(`${EDGE}/cases/${c.caseId}`);
  await page.locator('#case-title').waitFor({ timeout: 20000 });
  // Counts every time the screen is taken out of the page (the loading
  // placeholder swapped in while the case's calls and audit reload).
  await page.evaluate(() => {
    window.screenRemoved = 0;
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.removedNodes) {
          if (n.nodeType === 1 && (n.matches('section.case-screen') || n.querySelector('section.case-screen'))) window.screenRemoved += 1;
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.click('#action-call');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  for (const box of await dialog.locator('input[name=party]').all()) {
    if (!(await box.isChecked())) await box.check();
  }
  await dialog.getByRole('button', { name: '开始外呼' }).click();
  await dialog.locator('.outcomes li').first().waitFor({ timeout: 20000 });
  // The placement reloads the case's calls and audit trail; the screen and its dialog stay.
  await page.locator('.audit li[data-action="call"]').first().waitFor({ timeout: 20000 });
  await page.waitForTimeout(1000);
  assert.equal(await dialog.locator('.outcomes li').count(), c.parties.length);
  assert.equal(await page.evaluate(() => window.screenRemoved), 0);
  await page.close();
});
