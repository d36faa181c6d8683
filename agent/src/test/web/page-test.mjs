// Drives Debian's headless Chromium against a running pcikit agent and checks its web page:
// it loads without console errors, the device table shows every device the API lists, filter
// and sort work, host text is shown as text, and a bind done through the API appears in the
// page without a reload (live, from /v1/events/stream).
//
// usage: node page-test.mjs --url http://127.0.0.1:PORT/ [--bind BDF] [--screenshots DIR]
//                           [--chromium PATH] [--expect-text-in BDF=TEXT]
//                           [--token READ_TOKEN --admin-token ADMIN_TOKEN]
// Exit 0 when every check passed, 1 when one failed, 2 on a usage error.
// agent/src/test/java/dev/pcikit/agent/web/WebPageBrowserTest.java runs it under `mvn verify`.
import { chromium } from 'playwright-core';
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

let args;
try {
  args = parseArgs({
    options: {
      url: { type: 'string' },
      bind: { type: 'string', default: '0000:03:00.0' },
      screenshots: { type: 'string' },
      chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
      'expect-text-in': { type: 'string' },
      token: { type: 'string' },
      'admin-token': { type: 'string' },
      timeout: { type: 'string', default: '15000' },
    },
  }).values;
  if (!args.url) throw new Error('--url is required');
} catch (e) {
  console.error('page-test: ' + e.message);
  process.exit(2);
}

const base = new URL(args.url);
const timeout = Number(args.timeout);
let failures = 0;

function ok(what) {
  console.log('page-test: ok: ' + what);
}
function fail(what) {
  failures++;
  console.log('page-test: FAILED: ' + what);
}
function check(cond, what) {
  if (cond) ok(what);
  else fail(what);
}

async function api(path, init = {}, tokenToSend = args.token) {
  const headers = Object.assign({}, init.headers);
  if (tokenToSend) headers.Authorization = 'Bearer ' + tokenToSend;
  const res = await fetch(new URL(path, base), Object.assign({}, init, { headers }));
  const body = await res.text();
  let json = null;
  try {
    json = JSON.parse(body);
  } catch (e) {
    // not JSON: reported by the caller
  }
  return { status: res.status, json, body, headers: res.headers };
}

// as root Chromium refuses to start without --no-sandbox
const launchArgs = typeof process.getuid === 'function' && process.getuid() === 0 ? ['--no-sandbox'] : [];
const browser = await chromium.launch({ executablePath: args.chromium, args: launchArgs });
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push('console ' + m.type() + ': ' + m.text());
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('requestfailed', (r) => {
    // the event stream is cut when the page closes; anything else failing is a defect
    if (!r.url().includes('/v1/events/stream')) problems.push('request failed: ' + r.url() + ' ' + r.failure()?.errorText);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push('HTTP ' + r.status() + ' for ' + r.url());
    if (new URL(r.url()).origin !== base.origin) problems.push('request outside the agent: ' + r.url());
  });

  // ---- with a token (the TCP listener): a page without it asks for it, then works
  if (args.token) {
    const asking = await context.newPage();
    await asking.goto(base.href, { waitUntil: 'load', timeout });
    const asked = await asking.waitForSelector('#token-form:not([hidden])', { timeout }).then(() => true, () => false);
    check(asked, 'without a token the page asks for one');
    await asking.fill('#token', args.token);
    await asking.click('#token-form button[type="submit"]');
    const works = await asking
      .waitForFunction(() => document.querySelectorAll('#devices tbody tr').length > 0, null, { timeout })
      .then(() => true, () => false);
    check(works, 'with the token typed in, the page shows the devices');
    await asking.close();
  }

  // ---- the page and its headers
  const fragment = args.token ? '#token=' + encodeURIComponent(args.token) : '';
  const res = await page.goto(base.href + fragment, { waitUntil: 'load', timeout });
  check(res.status() === 200, 'GET / answers 200 (got ' + res.status() + ')');
  const csp = res.headers()['content-security-policy'] || '';
  check(/default-src 'self'/.test(csp), "Content-Security-Policy has default-src 'self' (got: " + csp + ')');
  check((res.headers()['content-type'] || '').startsWith('text/html'), 'GET / is text/html');
  if (args.token) {
    check((await page.evaluate(() => location.hash)) === '', 'the token is removed from the address bar');
  }

  // ---- live, then the table equals the API
  const live = await page.waitForSelector('#live[data-state="live"]', { timeout }).then(() => true, () => false);
  check(live, 'the event stream is connected (' + (await page.textContent('#live')) + ')');
  const devices = await api('v1/devices');
  check(devices.status === 200 && Array.isArray(devices.json?.devices), 'GET /v1/devices answers the inventory');
  const apiDevices = devices.json?.devices ?? [];
  const apiCount = apiDevices.length;
  await page.waitForFunction((n) => document.querySelectorAll('#devices tbody tr').length === n, apiCount, { timeout })
    .catch(() => {});
  const rowCount = await page.locator('#devices tbody tr').count();
  check(rowCount === apiCount && apiCount > 0, 'the device table shows ' + rowCount + ' rows, the API lists ' + apiCount);
  const pageBdfs = await page.$$eval('#devices tbody tr', (rows) => rows.map((r) => r.dataset.bdf));
  const apiBdfs = apiDevices.map((d) => d.bdf);
  check(JSON.stringify([...pageBdfs].sort()) === JSON.stringify([...apiBdfs].sort()), 'the table rows are the API devices');
  const picture = await page.$eval('#picture', (img) => img.complete && img.naturalWidth > 0);
  check(picture, 'the host picture is shown');
  const groupRows = await page.locator('#groups tbody tr').count();
  const groups = await api('v1/groups');
  const apiGroups = groups.json?.groups?.length ?? -1;
  check(groupRows === apiGroups, 'the groups table shows ' + groupRows + ' groups, GET /v1/groups ' + apiGroups + ' (HTTP ' + groups.status + ')');
  const hostFindings = await page.locator('#check-host tbody tr').count();
  const checkDoc = await api('v1/check');
  const apiHost = checkDoc.json?.host ?? [];
  check(hostFindings === apiHost.length && hostFindings > 0,
    'readiness shows ' + hostFindings + ' host findings, GET /v1/check ' + apiHost.length + ' (HTTP ' + checkDoc.status + ')');
  const fixes = await page.$$eval('#check-host td.fix', (tds) => tds.map((t) => t.textContent));
  const apiFixes = apiHost.map((f) => f.fix ?? '–');
  check(JSON.stringify(fixes) === JSON.stringify(apiFixes), 'every host finding shows its fix');

  // ---- accessible markup: every control labelled, every table with column headers, images with text
  const unlabelled = await page.$$eval('input, select', (els) => els.filter((e) => e.labels.length === 0).map((e) => e.id));
  check(unlabelled.length === 0, 'every input and select has a label' + (unlabelled.length ? ': missing ' + unlabelled : ''));
  const bareTables = await page.$$eval('table', (ts) => ts.filter((t) => !t.querySelector('thead th[scope="col"]')).length);
  check(bareTables === 0, 'every table has column headers (' + bareTables + ' without)');
  const noAlt = await page.$$eval('img', (imgs) => imgs.filter((i) => !i.alt).length);
  check(noAlt === 0, 'every image has a text alternative');

  // ---- host text is text (names come from pci.ids and sysfs)
  if (args['expect-text-in']) {
    const [bdf, text] = args['expect-text-in'].split(/=(.*)/s);
    const cell = page.locator(`#devices tbody tr[data-bdf="${bdf}"] [data-col="name"]`);
    const shown = await cell.textContent();
    check(shown.includes(text), 'the name of ' + bdf + ' is shown as text: ' + JSON.stringify(shown));
    const injected = await page.$$eval('main img, main script, main b', (els) => els.filter((e) => e.id !== 'picture').length);
    check(injected === 0, 'no element was made from host text (found ' + injected + ')');
    check(!(await page.evaluate(() => 'pwned' in window)), 'no script from host text ran');
  }

  // ---- filter and sort
  await page.fill('#f-text', args.bind);
  check((await page.locator('#devices tbody tr').count()) === 1, 'the text filter keeps one row for ' + args.bind);
  await page.fill('#f-text', '');
  const someDriver = apiDevices.find((d) => d.driver)?.driver ?? '';
  await page.selectOption('#f-driver', someDriver);
  const wantDriver = apiDevices.filter((d) => d.driver === someDriver).length;
  check((await page.locator('#devices tbody tr').count()) === wantDriver, 'the driver filter ' + someDriver + ' keeps ' + wantDriver + ' rows');
  await page.selectOption('#f-driver', '');
  const someClass = apiDevices[apiDevices.length - 1]?.className ?? '';
  await page.selectOption('#f-class', someClass);
  const wantClass = apiDevices.filter((d) => d.className === someClass).length;
  check((await page.locator('#devices tbody tr').count()) === wantClass, 'the class filter ' + someClass + ' keeps ' + wantClass + ' rows');
  await page.selectOption('#f-class', '');
  await page.click('#devices th[data-col="bdf"] button'); // address is the default: this sorts descending
  const desc = await page.$$eval('#devices tbody tr', (rows) => rows.map((r) => r.dataset.bdf));
  check(JSON.stringify(desc) === JSON.stringify([...apiBdfs].sort().reverse()), 'a second click on Address sorts descending');
  check((await page.getAttribute('#devices th[data-col="bdf"]', 'aria-sort')) === 'descending', 'aria-sort says descending');
  await page.click('#devices th[data-col="group"] button');
  const groupsOrder = await page.$$eval('#devices tbody tr [data-col="group"]', (c) => c.map((x) => x.textContent));
  const numeric = groupsOrder.filter((g) => g !== '–').map(Number);
  check(numeric.every((g, i) => i === 0 || numeric[i - 1] <= g), 'sorting by IOMMU group orders the groups numerically');
  await page.click('#devices th[data-col="bdf"] button');

  if (args.screenshots) {
    mkdirSync(args.screenshots, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(args.screenshots, 'agent-page.png') });
  }

  // ---- a bind through the API shows up without a reload
  const driverCell = page.locator(`#devices tbody tr[data-bdf="${args.bind}"] [data-col="driver"]`);
  const before = await driverCell.textContent();
  check(before !== 'vfio-pci', args.bind + ' starts on ' + before);
  await page.evaluate(() => {
    window.pcikitNoReload = true;
  });
  const bind = await api('v1/bind', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ devices: [args.bind], group: false, driver: null, dryRun: false }),
  }, args['admin-token'] ?? args.token);
  check(bind.status === 200 || bind.status === 202, 'POST /v1/bind answers ' + bind.status + ' ' + bind.body.slice(0, 200));
  const t0 = Date.now();
  const changed = await page
    .waitForFunction((bdf) => {
      const c = document.querySelector(`#devices tbody tr[data-bdf="${bdf}"] [data-col="driver"]`);
      return c && c.textContent === 'vfio-pci';
    }, args.bind, { timeout })
    .then(() => true, () => false);
  check(changed, 'the driver column of ' + args.bind + ' changed to vfio-pci (' + (Date.now() - t0) + ' ms after the bind answered)');
  check(await page.evaluate(() => window.pcikitNoReload === true), 'the page was not reloaded');
  const vfioRow = await page.locator(`#vfio tbody tr[data-bdf="${args.bind}"]`).count()
    .then(async (n) => n || (await page.waitForSelector(`#vfio tbody tr[data-bdf="${args.bind}"]`, { timeout: 5000 }).then(() => 1, () => 0)));
  check(vfioRow === 1, args.bind + ' is listed among the devices on VFIO drivers');
  const events = await page.$$eval('#events li', (lis) => lis.map((li) => li.textContent));
  check(events.some((e) => e.includes(args.bind)), 'the recent events list shows an event of ' + args.bind + ': ' + JSON.stringify(events));

  if (args.screenshots) {
    await page.selectOption('#f-driver', 'vfio-pci');
    await page.$eval('#devices-h', (h) => h.scrollIntoView());
    await page.screenshot({ path: join(args.screenshots, 'agent-page-after-bind.png') });
    await page.selectOption('#f-driver', '');
    await page.$$eval('#check-devices details', (ds) => ds.slice(0, 2).forEach((d) => (d.open = true)));
    await page.$eval('#check-h', (h) => h.scrollIntoView());
    await page.screenshot({ path: join(args.screenshots, 'agent-page-readiness.png') });
    ok('screenshots written to ' + args.screenshots);
  }

  await page.waitForTimeout(300);
  check(problems.length === 0, 'no console errors, failed requests or foreign requests' +
    (problems.length ? ': ' + problems.join(' | ') : ''));
} finally {
  await browser.close();
}
console.log('page-test: ' + (failures === 0 ? 'all checks passed' : failures + ' check(s) failed'));
process.exit(failures === 0 ? 0 : 1);
