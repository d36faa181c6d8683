// How long the agent's web page takes in headless Chromium: from navigation to a device table
// with every device of GET /v1/devices, RUNS times (median, min, max).
// usage: node page-timing.mjs --url http://127.0.0.1:PORT/ [--token T] [--runs N]
import { chromium } from 'playwright-core';
import { parseArgs } from 'node:util';

const args = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    runs: { type: 'string', default: '7' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
}).values;
const base = new URL(args.url);
const headers = args.token ? { Authorization: 'Bearer ' + args.token } : {};
const n = (await (await fetch(new URL('v1/devices', base), { headers })).json()).devices.length;
const launchArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
const browser = await chromium.launch({ executablePath: args.chromium, args: launchArgs });
const times = [];
for (let i = 0; i < Number(args.runs); i++) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(base.href + (args.token ? '#token=' + encodeURIComponent(args.token) : ''));
  await page.waitForFunction((k) => document.querySelectorAll('#devices tbody tr').length === k, n, { timeout: 60000 });
  times.push(Date.now() - t0);
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`${n} devices: page to full table in ms over ${times.length} runs: median ${times[times.length >> 1]}, min ${times[0]}, max ${times[times.length - 1]}`);
