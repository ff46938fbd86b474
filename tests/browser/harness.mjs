// Shared set-up for the browser tests: Debian's Chromium driven by
// playwright-core (no browser download), the stack's addresses, and the
// sandbox's control API. Playwright gives each launch a fresh profile in TMPDIR.
import { chromium } from 'playwright-core';

export const EDGE = process.env.E2E_EDGE ?? 'http://127.0.0.1:18787';
export const CONTROL = process.env.E2E_CONTROL ?? 'http://127.0.0.1:18790';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export async function control(path, body) {
  const res = await fetch(`${CONTROL}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
