import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, EDGE, signedInPage, openBoard, assertAccessible } from './harness.mjs';

let browser;
before(async () => {
  await control('/control/reset', {});
  browser = await launch();
});
after(async () => browser?.close());

/** The seeded agreement call in which the party says "分三次是我提的" (turn 4). */
const CASE = '202601301030001111';
const JOB = '1769760284652-4b3e-87db-ae561726fcd8';

test('search finds a phrase a party said and opens the transcript at that turn', async () => {
  const page = await signedInPage(browser);
  // Reading the case's calls is what indexes them (after the answer).
  await page.goto(`${EDGE}/cases/${CASE}`);
  await page.locator('.calls li[data-job-id]').first().waitFor({ timeout: 20000 });
  await page.locator('a', { hasText: '返回看板' }).first().click();
  await page.locator('table.board tbody tr.row').first().waitFor({ timeout: 20000 });

  const box = page.getByRole('searchbox', { name: '通话中说过的话' });
  await box.fill('分三次');
  // (Other cases may hold the same words: the sandbox's scaled copies of this one.)
  const hit = page.locator(`#turn-search-results .search-hits a[href="/cases/${CASE}/calls/${JOB}#turn-4"]`);
  // The index is written just after the case page's answer: ask until it is there.
  for (let tries = 0; (await hit.count()) === 0; tries += 1) {
    assert.ok(tries < 40, 'the call was indexed within 20 s');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.locator('#turn-search-results p').first().waitFor();
    await page.waitForTimeout(500);
  }
  assert.equal(await hit.count(), 1);
  assert.equal(await hit.locator('mark').innerText(), '分三次');
  assert.match(await hit.innerText(), /^当事人 · /);
  assert.match(await hit.innerText(), /分三次是我提的,没问题。/);
  await assertAccessible(page, 'board with search results');

  await hit.click();
  const found = page.locator('.conversation [data-turn="4"]');
  await found.waitFor({ timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('.conversation [data-turn="4"]')?.classList.contains('found'));
  assert.equal(new URL(page.url()).pathname, `/cases/${CASE}/calls/${JOB}`);
  assert.equal(new URL(page.url()).hash, '#turn-4');
  assert.match(await found.innerText(), /分三次是我提的/);
  // Focus is on the turn found, so a keyboard or screen-reader user is there
  // too (moved once the screen is in the document: it arrives with its module).
  await page.waitForFunction(() => document.activeElement !== document.body, null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => document.activeElement.closest('[data-turn]')?.getAttribute('data-turn')), '4');
  assert.equal(await page.locator('.conversation .found').count(), 1);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a query too short is refused in the form, and one found nowhere says so', async () => {
  const page = await signedInPage(browser);
  await openBoard(page);
  const box = page.getByRole('searchbox', { name: '通话中说过的话' });
  await box.fill('好');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  assert.equal(await box.evaluate((el) => el.validity.tooShort), true);
  assert.equal(await page.locator('#turn-search-results').innerText(), '');
  await box.fill('强制拆迁补偿');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await page.locator('#turn-search-results .empty', { hasText: '没有找到说过这些话的通话' }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});
