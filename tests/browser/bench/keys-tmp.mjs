import { launch, control, EDGE, signedInPage } from '../harness.mjs';
const browser = await launch();
await control('/control/reset', {});
await control('/control/scale', { cases: 100000 });
const page = await signedInPage(browser);
await page.goto(EDGE, { waitUntil: 'commit', timeout: 120000 });
await page.locator('table.board tbody tr.row').first().waitFor({ timeout: 120000 });
await page.waitForTimeout(1000);
const input = page.locator('#board-search');
const queries = ['刘树杰', '王', '1489', 'zhang', '拖欠工资纠纷', '2026012'];
const client = await page.context().newCDPSession(page);
if (process.env.PROFILE) { await client.send('Profiler.enable'); await client.send('Profiler.start'); }
for (const q of [...queries, ...queries]) {
  await page.evaluate(() => performance.clearMeasures('filter-apply'));
  await input.fill('');
  await page.waitForTimeout(100);
  const typed = [];
  for (const c of q) { typed.push(c); await input.pressSequentially(c); await page.waitForTimeout(80); }
  const m = await page.evaluate(() => performance.getEntriesByName('filter-apply', 'measure').map((e) => e.duration.toFixed(1)));
  const shown = await page.locator('.board-head .shown').textContent();
  console.log(q, m.join(' '), '|', shown);
}
if (process.env.PROFILE) {
  const { profile } = await client.send('Profiler.stop');
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas; const samples = profile.samples;
  for (let i = 0; i < samples.length; i++) { const n = byId.get(samples[i]); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0)); }
  [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([k, v]) => console.log((v / 1000).toFixed(1).padStart(8), 'ms', k));
}
await browser.close();
