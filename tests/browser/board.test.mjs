import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, control, EDGE } from './harness.mjs';

let browser;
before(async () => {
  await control('/control/reset', {});
  browser = await launch();
});
after(async () => browser?.close());

test('the board served by the edge lists the sandbox cases', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(EDGE);
  const rows = page.locator('table.board tbody tr');
  await rows.first().waitFor({ timeout: 15000 });
  const count = await rows.count();
  assert.ok(count >= 30, `expected the seed's 30+ cases, saw ${count}`);
  const text = await page.locator('table.board').innerText();
  assert.match(text, /纠纷/);
  assert.deepEqual(errors, []);
});
