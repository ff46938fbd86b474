// App rendering benchmark (run by scripts/bench.sh against its own stack):
// 10,000 and 100,000 cases — first board render and per-keystroke filter time — and a
// 1,000-turn transcript, read from the app's performance.measure entries.
// Prints figures; asserts nothing.
import { launch, control, EDGE, signedInPage } from '../harness.mjs';

function pct(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.round((s.length - 1) * p))];
}

const measures = (page, name) =>
  page.evaluate((n) => performance.getEntriesByName(n, 'measure').map((e) => e.duration), name);

// The first `name` measure, waited for inside the page. Not with a locator:
// Playwright's first locator call evaluates its own script in the page, which
// would run on the main thread in the middle of the render being measured.
const firstMeasure = (page, name) =>
  page.evaluate((n) => new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(`no ${n} measure within 60 s`)), 60000);
    new PerformanceObserver((list, observer) => {
      const [entry] = list.getEntriesByName(n);
      if (entry) { observer.disconnect(); resolve(entry.duration); }
    }).observe({ type: 'measure', buffered: true });
  }), name);

// Cold loads per figure: this machine's timings vary run to run, so enough
// for the median to mean something.
const RUNS = 15;

const browser = await launch();
try {
  // The board at 10,000 and at 100,000 cases: first render (cold loads),
  // then each keystroke of a search filtering all of them.
  for (const [size, runs] of [[10000, RUNS], [100000, 5]]) {
    await control('/control/reset', {});
    const { cases } = await control('/control/scale', { cases: size });
    const label = size.toLocaleString('en-US');
    const renders = [];
    let page;
    for (let i = 0; i < runs; i++) {
      page = await signedInPage(browser);
      // Only until the document is committed: the figure is the page's own measure.
      await page.goto(EDGE, { waitUntil: 'commit', timeout: 120000 });
      renders.push(await firstMeasure(page, 'board-render'));
      await page.locator('table.board tbody tr.row').first().waitFor({ timeout: 120000 });
      const rows = await page.locator('table.board tbody tr.row').count();
      if (i === 0) console.log(`board: ${cases} cases loaded, ${rows} rows in the DOM (virtualised)`);
      if (i < runs - 1) await page.context().close();
    }
    console.log(`first board render, ${label} cases: p50 ${pct(renders, 0.5).toFixed(1)} ms, max ${Math.max(...renders).toFixed(1)} ms (n=${renders.length})`);

    // Typing into the search box: each keystroke filters every case.
    await page.evaluate(() => performance.clearMeasures('filter-apply'));
    const input = page.locator('#board-search');
    // Three rounds of six searches: about 90 keystrokes, enough for a p95.
    const queries = ['刘树杰', '王', '1489', 'zhang', '拖欠工资纠纷', '2026012'];
    for (const q of [...queries, ...queries, ...queries]) {
      await input.fill('');
      await input.pressSequentially(q, { delay: 60 });
      await page.waitForTimeout(200);
    }
    const keys = await measures(page, 'filter-apply');
    console.log(`filter per keystroke, ${label} cases: p50 ${pct(keys, 0.5).toFixed(1)} ms, p95 ${pct(keys, 0.95).toFixed(1)} ms (n=${keys.length})`);
    await page.context().close();
  }

  // A 1,000-turn transcript.
  await control('/control/reset', {});
  const { caseId, jobId } = await control('/control/long-call', { turns: 1000 });
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const p = await signedInPage(browser);
    await p.goto(`${EDGE}/cases/${caseId}/calls/${jobId}`, { waitUntil: 'commit', timeout: 60000 });
    times.push(await firstMeasure(p, 'transcript-render'));
    await p.locator('.conversation .turn').first().waitFor({ timeout: 60000 });
    if (i === 0) console.log(`transcript: ${await p.locator('.conversation [role=listitem]').count()} turns rendered`);
    await p.context().close();
  }
  console.log(`1,000-turn transcript render: p50 ${pct(times, 0.5).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (n=${times.length})`);
  await control('/control/reset', {});
} finally {
  await browser.close();
}
