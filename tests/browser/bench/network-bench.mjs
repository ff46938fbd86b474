// What a mediator on a county office line sees (run by scripts/bench.sh
// against its own stack): the board loaded through Chromium with its network
// throttled to 4 Mbit/s down, 1 Mbit/s up and a 60 ms round trip (DevTools'
// network emulation), cold (a new profile: nothing cached) and warm (a reload
// in the same profile: hashed assets from the cache, index.html and the board
// revalidated). For each: when the first rows were on screen (the app's
// `board-render` measure's end) and when the board was interactive (the first
// keystroke's filter applied, typed as soon as the rows were there), both from
// the start of navigation. Prints figures; asserts nothing.
import { launch, control, EDGE, signedInPage } from '../harness.mjs';

const RUNS = 7;
const LINE = { offline: false, latency: 60, downloadThroughput: (4 * 1024 * 1024) / 8, uploadThroughput: (1024 * 1024) / 8 };

function pct(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.round((s.length - 1) * p))];
}

const measureEnd = (page, name) =>
  page.evaluate((n) => new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(`no ${n} measure within 60 s`)), 60000);
    new PerformanceObserver((list, observer) => {
      const [entry] = list.getEntriesByName(n);
      if (entry) { observer.disconnect(); resolve(entry.startTime + entry.duration); }
    }).observe({ type: 'measure', buffered: true });
  }), name);

/** One load: (first rows, interactive) in ms from navigation start, and the bytes that came over the line. */
async function load(page, reload) {
  let bytes = 0;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', LINE);
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  if (reload) await page.reload({ waitUntil: 'commit', timeout: 60000 });
  else await page.goto(EDGE, { waitUntil: 'commit', timeout: 60000 });
  const rows = await measureEnd(page, 'board-render');
  await page.evaluate(() => performance.clearMeasures('filter-apply'));
  await page.locator('#board-search').pressSequentially('王');
  const interactive = await measureEnd(page, 'filter-apply');
  await page.locator('#board-search').fill('');
  await cdp.detach();
  return { rows, interactive, bytes };
}

const browser = await launch();
try {
  await control('/control/reset', {});
  const cold = [];
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await signedInPage(browser);
    cold.push(await load(page, false));
    warm.push(await load(page, true));
    await page.context().close();
  }
  const say = (label, runs) => console.log(
    `${label} (4 Mbit/s down, 1 up, 60 ms RTT): first rows p50 ${pct(runs.map((r) => r.rows), 0.5).toFixed(0)} ms, `
    + `interactive p50 ${pct(runs.map((r) => r.interactive), 0.5).toFixed(0)} ms, max ${Math.max(...runs.map((r) => r.interactive)).toFixed(0)} ms; `
    + `${Math.round(pct(runs.map((r) => r.bytes), 0.5) / 1000)} KB over the line (n=${runs.length})`);
  say('cold load', cold);
  say('warm load', warm);
} finally {
  await browser.close();
}
