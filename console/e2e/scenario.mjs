// The console as a person uses it, in Debian's headless chromium driven by playwright-core. Started by
// ConsoleBrowserTest, which owns vreg and the fixture upstreams: this script reads where they are from the
// environment, asks the test to pull with the real go command by printing "PULL <n>" and waiting for a line on
// stdin, and fails (exit 1) at the first thing that is not as a person should find it.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { asReader, groupRules, instanceAudit, lifecycle, webhooks } from './admin-pages.mjs';

const require = createRequire(import.meta.url);
const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
};
const BASE = env('VREG_URL');
const TOKEN = env('VREG_TOKEN');
const GOOD_URL = env('GOOD_UPSTREAM_URL');
const BAD_URL = env('BAD_UPSTREAM_URL');
const MODULE = env('MODULE_PATH');
const VERSION = env('MODULE_VERSION');
const SHOTS = env('SCREENSHOTS_DIR');
const WEBHOOK_OK_URL = env('WEBHOOK_OK_URL');
const WEBHOOK_DOWN_URL = env('WEBHOOK_DOWN_URL');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const AXE = require.resolve('axe-core/axe.min.js');
mkdirSync(SHOTS, { recursive: true });

const lines = createInterface({ input: process.stdin });
const waiting = [];
lines.on('line', (line) => waiting.shift()?.(line));
function ask(message) {
  return new Promise((resolve) => {
    waiting.push(resolve);
    process.stdout.write(message + '\n');
  });
}
const step = (name) => process.stdout.write(`STEP ${name}\n`);

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function expectVisible(locator, what, timeout = 30_000) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    const shown = await locator.page().locator('main').innerText().catch(() => '');
    throw new Error(`${what} is not shown; the page shows:\n${shown.slice(0, 2000)}`);
  }
}

const audited = [];
async function audit(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(serious.length === 0, `axe found serious violations on ${name}: ${JSON.stringify(serious, null, 1)}`);
  await page.screenshot({ path: join(SHOTS, `${String(audited.length + 1).padStart(2, '0')}-${name}.png`),
    fullPage: true });
  audited.push(name);
}

async function waitForText(locator, expected) {
  const deadline = Date.now() + 20_000;
  let seen;
  while (Date.now() < deadline) {
    seen = (await locator.count()) ? (await locator.first().textContent()).trim() : null;
    if (seen === expected) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`"${expected}" is not shown (but "${seen}")`);
}

async function optionFor(page, name) {
  const options = await page.locator('#link-upstream option').evaluateAll((all) =>
    all.map((o) => ({ value: o.value, text: o.textContent })));
  const option = options.find((o) => o.text.startsWith(`${name} (`));
  check(option, `no upstream ${name} to link among ${JSON.stringify(options)}`);
  return option.value;
}

async function order(page) {
  return page.locator('[data-order] li').evaluateAll((items) => items.map((li) => li.dataset.link));
}

async function waitForOrder(page, expected) {
  const deadline = Date.now() + 10_000;
  let seen;
  while (Date.now() < deadline) {
    seen = await order(page);
    if (JSON.stringify(seen) === JSON.stringify(expected) && !(await page.locator('[data-order][aria-busy="true"]').count())) {
      return;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`the order is ${JSON.stringify(seen)}, not ${JSON.stringify(expected)}`);
}

async function eventually(probe, message) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await probe()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(message);
}

async function cacheRow(page, file) {
  return page.locator('tr[data-entry]').filter({ has: page.locator('td', { hasText: new RegExp(`^${file}$`) }) });
}

async function pullsShown(page, file, expected) {
  const deadline = Date.now() + 20_000;
  let pulls = null;
  while (Date.now() < deadline) {
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('[data-total]').waitFor();
    const row = await cacheRow(page, file);
    if (await row.count()) {
      pulls = (await row.locator('[data-pulls]').textContent()).trim();
      if (pulls === String(expected)) {
        return;
      }
    }
    await page.waitForTimeout(300);
  }
  throw new Error(`the cache page shows ${file} with ${pulls} pulls, not ${expected}`);
}

async function statShown(page, name, accept) {
  const deadline = Date.now() + 20_000;
  let seen = null;
  while (Date.now() < deadline) {
    const stat = page.locator(`[data-stat="${name}"]`);
    if (await stat.count()) {
      seen = Number((await stat.textContent()).replace(/[^0-9]/g, ''));
      if (accept(seen)) {
        return seen;
      }
    }
    // The counts reach the database in batches: ask again until they are in.
    const refresh = page.getByRole('button', { name: 'Refresh' });
    if (await refresh.count()) {
      await refresh.click();
    }
    await page.waitForTimeout(300);
  }
  throw new Error(`the statistics show ${name} ${seen}`);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  // axe is injected as a script, which the console's Content-Security-Policy rightly refuses.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  step('sign-in');
  await page.goto(BASE + '/');
  await page.waitForURL('**/ui/sign-in**');
  await expectVisible(page.getByRole('heading', { name: 'Sign in to vreg' }), 'the sign-in page');
  await audit(page, 'sign-in');
  await page.getByLabel('Personal token').fill('vreg_' + 'x'.repeat(43));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(page.getByRole('alert'), 'the message for a wrong token');
  const refusal = await page.getByRole('alert').textContent();
  check(/token|authenticat|sign in/i.test(refusal), `a wrong token is answered with "${refusal}"`);
  await page.getByLabel('Personal token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Upstreams of default' }), 'the group overview');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  check(!stored.includes(TOKEN), 'the personal token is kept in the browser');
  check(stored.includes('accessToken'), 'the session is not kept for reloads');
  await page.reload();
  await expectVisible(page.getByRole('heading', { name: 'Upstreams of default' }), 'the overview after a reload');

  step('registry');
  await page.getByRole('navigation', { name: 'Group pages' }).getByRole('link', { name: 'Registries' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Registries of default' }), 'the registries page');
  await page.getByLabel(/^Name( \*)?$/).fill('Team!');
  await page.getByRole('button', { name: 'Create registry' }).click();
  await expectVisible(page.locator('#registry-name-error'), 'the name field’s error');
  check((await page.getByLabel(/^Name( \*)?$/).getAttribute('aria-invalid')) === 'true', 'the name is not marked invalid');
  await audit(page, 'registries');
  await page.getByLabel(/^Name( \*)?$/).fill('team');
  await page.getByLabel('Description').fill('Modules of the team');
  await page.getByLabel('Public: anyone may pull without a token').check();
  await page.getByRole('button', { name: 'Create registry' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Registry team' }), 'the new registry');
  const goproxy = (await page.locator('#goproxy-url').textContent()).trim();
  check(goproxy === `${BASE}/go/default/team`, `the GOPROXY URL shown is ${goproxy}`);
  check((await page.locator('#go-env').textContent()).includes(`GOPROXY=${BASE}/go/default/team`),
    'the go env snippet does not set GOPROXY');
  await expectVisible(page.getByText('No upstream is linked'), 'the empty state of the links');

  step('upstreams');
  async function createUpstream(name, url, expectState) {
    await page.goto(`${BASE}/ui/groups/default/upstreams/new`);
    await expectVisible(page.getByRole('heading', { name: 'New upstream' }), 'the upstream form');
    await expectVisible(page.getByLabel('Probe path'), 'the settings field from the kind’s schema');
    await page.getByLabel(/^Name( \*)?$/).fill(name);
    await page.getByLabel(/^URL( \*)?$/).fill(url);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const report = page.locator('[data-report]');
    await expectVisible(report, `the connection report of ${name}`, 20_000);
    const badge = (await report.locator('[data-status]').textContent()).trim();
    check(badge === expectState, `testing ${name} before saving shows ${badge}, not ${expectState}`);
    await page.getByRole('button', { name: 'Create upstream' }).click();
    await expectVisible(page.getByRole('heading', { name: `Upstream ${name}` }), `the saved upstream ${name}`);
  }
  await createUpstream('broken', BAD_URL, 'Failing');
  await createUpstream('fixture', GOOD_URL, 'Connected');
  await page.getByRole('radio', { name: 'Token' }).check();
  await expectVisible(page.locator('#up-token'), 'the write-only token field');
  check((await page.locator('#up-token').getAttribute('type')) === 'password', 'the token field shows what is typed');
  await page.getByRole('radio', { name: 'None' }).check();
  await audit(page, 'upstream-edit');
  // The same URL without credentials again: the duplicate guard refuses, and says with which upstream.
  await page.goto(`${BASE}/ui/groups/default/upstreams/new`);
  await page.getByLabel(/^URL( \*)?$/).fill(GOOD_URL);
  await page.getByLabel(/^Name( \*)?$/).fill('again');
  await page.getByRole('button', { name: 'Create upstream' }).click();
  await expectVisible(page.getByRole('alert'), 'the duplicate upstream message');
  const duplicate = await page.getByRole('alert').first().textContent();
  check(/fixture|same|exists|already/i.test(duplicate), `a duplicate upstream is answered with "${duplicate}"`);
  await audit(page, 'upstream-new');

  step('links');
  await page.goto(`${BASE}/ui/groups/default/registries/team`);
  await expectVisible(page.getByRole('heading', { name: 'Registry team' }), 'the registry page');
  for (const name of ['broken', 'fixture']) {
    await page.getByLabel('Link an upstream').selectOption(await optionFor(page, name));
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await expectVisible(page.locator(`[data-order] li[data-link="${name}"]`), `the link to ${name}`);
  }
  await waitForOrder(page, ['broken', 'fixture']);
  const again = await optionFor(page, 'fixture');
  check((await page.locator(`#link-upstream option[value="${again}"]`).textContent()).endsWith('— linked'),
    'the linked upstream is not marked as linked');
  await page.getByLabel('Link an upstream').selectOption(again);
  await page.getByRole('button', { name: 'Link', exact: true }).click();
  await expectVisible(page.getByRole('alert'), 'the duplicate link message');
  const linked = await page.getByRole('alert').first().textContent();
  check(/already/i.test(linked), `linking twice is answered with "${linked}"`);

  step('reorder');
  await page.locator('[data-handle]').nth(1).focus();
  await page.keyboard.press('ArrowUp');
  await waitForOrder(page, ['fixture', 'broken']);
  check(await page.evaluate(() => document.activeElement?.closest('li')?.dataset.link) === 'fixture',
    'focus did not stay on the moved upstream');
  await page.locator('li[data-link="fixture"] .grow').dragTo(page.locator('li[data-link="broken"] .grow'));
  await waitForOrder(page, ['broken', 'fixture']);
  await page.locator('li[data-link="fixture"] [data-handle]').focus();
  await page.keyboard.press('Home');
  await waitForOrder(page, ['fixture', 'broken']);
  await page.reload();
  await waitForOrder(page, ['fixture', 'broken']);
  await page.getByLabel('Answer validity (seconds)').fill('soon');
  await page.getByRole('button', { name: 'Save checksum settings' }).click();
  await expectVisible(page.locator('#sumdb-validity-error'), 'the checksum validity field’s error');
  await page.getByLabel('Verification').selectOption('warn');
  await page.getByLabel('Answer validity (seconds)').fill('120');
  await page.getByRole('button', { name: 'Save checksum settings' }).click();
  await expectVisible(page.getByText('Checksum database settings saved.'), 'the saved checksum settings');
  await page.reload();
  await expectVisible(page.getByLabel('Answer validity (seconds)'), 'the checksum settings after a reload');
  check(await page.getByLabel('Verification').inputValue() === 'warn', 'the verification mode was not kept');
  check(await page.getByLabel('Answer validity (seconds)').inputValue() === '120', 'the validity was not kept');
  await audit(page, 'registry');
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 0, `the registry page is ${overflow}px wider than a narrow screen`);
  await page.screenshot({ path: join(SHOTS, 'narrow-registry.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  step('overview');
  await page.goto(`${BASE}/ui/groups/default`);
  const brokenRow = page.locator('tr[data-upstream="broken"]');
  const fixtureRow = page.locator('tr[data-upstream="fixture"]');
  await expectVisible(brokenRow, 'the broken upstream in the overview');
  check((await brokenRow.textContent()).includes('team'), 'the overview does not name the registry using broken');
  await page.getByRole('button', { name: 'Re-test broken' }).click();
  await waitForText(brokenRow.locator('[data-status]'), 'Failing');
  await page.getByRole('button', { name: 'Re-test fixture' }).click();
  await waitForText(fixtureRow.locator('[data-status]'), 'Connected');
  await page.reload();
  await waitForText(brokenRow.locator('[data-status]'), 'Failing');
  await waitForText(fixtureRow.locator('[data-status]'), 'Connected');
  await expectVisible(page.locator('[data-summary]').filter({ hasText: '1 of' }), 'the summary of failing upstreams');
  await audit(page, 'overview');

  step('statistics-empty');
  await page.getByRole('navigation', { name: 'Group pages' }).getByRole('link', { name: 'Statistics' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Statistics of default' }), 'the statistics page');
  await expectVisible(page.getByRole('heading', { name: /^Registry / }), 'the first registry’s statistics');
  await page.getByLabel('Statistics of').selectOption({ label: 'registry team' });
  await expectVisible(page.getByRole('heading', { name: 'Registry team' }), 'the statistics of registry team');
  const empty = page.locator('[data-empty]');
  await expectVisible(empty, 'the empty state of the statistics before any pull');
  check((await empty.textContent()).includes(`GOPROXY=${BASE}/go/default/team`),
    'the empty statistics do not say where to point go');

  step('cache');
  check((await ask('PULL 1')) === 'PULLED', 'the first pull failed');
  await page.goto(`${BASE}/ui/groups/default/cache`);
  await page.getByLabel('Upstream', { exact: true }).selectOption({ label: 'fixture' });
  await page.getByLabel('Module path starts with').fill(MODULE);
  await page.getByLabel('Version starts with').fill(VERSION);
  await pullsShown(page, `${VERSION}.zip`, 1);
  const h1 = await (await cacheRow(page, `${VERSION}.zip`)).locator('code').textContent();
  check(h1.startsWith('h1:'), `the zip's h1 is shown as "${h1}"`);
  await audit(page, 'cache');
  await (await cacheRow(page, `${VERSION}.zip`)).getByRole('button', { name: /^Delete/ }).click();
  await expectVisible(page.getByRole('dialog'), 'the delete confirmation');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Deleted' }), 'the report of the deletion');
  check(await (await cacheRow(page, `${VERSION}.zip`)).count() === 0, 'the deleted entry is still listed');
  check((await ask('PULL 2')) === 'PULLED', 'the pull after the deletion failed');
  await pullsShown(page, `${VERSION}.zip`, 1);

  step('statistics');
  await page.goto(`${BASE}/ui/groups/default/statistics?registry=team&range=24h`);
  await expectVisible(page.getByRole('heading', { name: 'Registry team' }), 'the registry statistics');
  const requests = await statShown(page, 'requests', (n) => n >= 2);
  const fetches = await statShown(page, 'fetches', (n) => n >= 2);
  check(fetches <= requests, `${fetches} fetches shown for ${requests} requests`);
  const ratio = (await page.locator('[data-stat="hitRatio"]').textContent()).trim();
  check(/^\d+(\.\d)?%$/.test(ratio), `the hit ratio is shown as "${ratio}"`);
  await expectVisible(page.locator(`tr[data-module="${MODULE}"]`), 'the pulled module among the top modules');
  await expectVisible(page.locator('tr[data-kind="zip"]'), 'the zip requests by file kind');
  const tallest = Math.max(...await page.locator('[data-chart] [data-bar]').evaluateAll((bars) =>
    bars.map((b) => Number(b.dataset.bar))));
  check(tallest > 0, 'the chart of pulls draws no bar');
  const label = await page.locator('[data-chart]').getAttribute('aria-label');
  check(/[1-9]\d* requests in all/.test(label), `the chart is described as "${label}"`);
  await page.getByText('Pulls over time as a table').click();
  check(await page.locator('[data-series-table] tbody tr').filter({ has: page.locator('th') }).count() > 0,
    'the table alternative of the chart lists no bucket');
  await audit(page, 'statistics');
  await page.setViewportSize({ width: 375, height: 800 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(wide <= 0, `the statistics page is ${wide}px wider than a narrow screen`);
  await page.screenshot({ path: join(SHOTS, 'narrow-statistics.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByLabel('Statistics of').selectOption({ label: 'upstream fixture' });
  await expectVisible(page.getByRole('heading', { name: 'Upstream fixture' }), 'the upstream statistics');
  await statShown(page, 'fetches', (n) => n >= 2);
  const p50 = (await page.locator('[data-stat="p50"]').textContent()).trim();
  check(/\d+(\.\d+)? m?s$/.test(p50), `the median latency is shown as "${p50}"`);
  check((await page.locator('[data-stat="lastSuccess"]').textContent()).trim() !== 'never',
    'the upstream’s last success is not shown');
  await audit(page, 'upstream-statistics');
  await page.getByLabel('Range').selectOption('custom');
  await page.getByLabel('First day (UTC)').fill('2026-02-10');
  await page.getByLabel('Last day (UTC)').fill('2026-02-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await expectVisible(page.getByRole('alert').filter({ hasText: 'before the first' }), 'the message for a reversed range');
  check(await page.locator('[data-upstream-stats]').count() === 0, 'statistics are shown for a refused range');

  step('policies');
  await page.getByRole('navigation', { name: 'Group pages' }).getByRole('link', { name: 'Policies' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Policies of default' }), 'the policies page');
  await page.getByLabel('Rules of', { exact: true }).selectOption('team');
  await expectVisible(page.getByRole('heading', { name: 'Filter rules of team' }), 'the filter rules of team');
  await expectVisible(page.getByText('No rules: every module and version is admitted.'), 'the empty state of the rules');
  // The explain form's own field error: a module path is required.
  await page.getByRole('button', { name: 'Explain' }).click();
  await expectVisible(page.locator('#explain-module-error'), 'the module field’s error in the explain form');
  await page.getByRole('button', { name: 'Add rule' }).click();
  check(await page.evaluate(() => document.activeElement?.dataset.field) === 'pattern',
    'a new rule does not start on its pattern');
  const rule = (n) => page.locator(`[data-rules] li[data-rule="${n}"]`);
  await rule(1).getByLabel('Module path pattern').fill(MODULE);
  await rule(1).getByLabel('Versions').fill('newer than v1');
  await rule(1).getByLabel('Reason told to clients').fill('frozen for the release');
  await expectVisible(page.locator('[data-unsaved]'), 'the unsaved changes note');
  await page.getByRole('button', { name: 'Save rules' }).click();
  const versionsField = rule(1).getByLabel('Versions');
  await expectVisible(rule(1).locator('.field.invalid .error'), 'the version condition’s error next to it');
  check((await versionsField.getAttribute('aria-invalid')) === 'true', 'the version condition is not marked invalid');
  check(/not understood/i.test(await rule(1).locator('.field.invalid .error').textContent()),
    'the version condition’s error does not say what is wrong');
  await versionsField.fill(`>= ${VERSION}`);
  await page.getByRole('button', { name: 'Add rule' }).click();
  await rule(2).getByLabel('Action').selectOption('allow');
  await rule(2).getByLabel('Module path pattern').fill(MODULE);
  await rule(2).getByLabel('Versions').fill(`= ${VERSION}`);
  // The exception goes first: by keyboard, then back below by dragging, then first again by keyboard.
  await rule(2).locator('[data-rule-handle]').focus();
  await page.keyboard.press('ArrowUp');
  await eventually(async () => await rule(1).getByLabel('Action').inputValue() === 'allow',
    'the arrow key did not move the rule up');
  check(await page.evaluate(() => document.activeElement?.closest('li')?.dataset.rule) === '1',
    'focus did not stay on the moved rule');
  await rule(1).locator('.pos').dragTo(rule(2).locator('.pos'));
  await eventually(async () => await rule(1).getByLabel('Action').inputValue() === 'deny',
    'dragging did not move the rule down');
  await audit(page, 'policies');
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expectVisible(page.getByText(/Filter rules saved: 2 rules/), 'the saved rules');
  async function explain(version, outcome) {
    await page.getByLabel(/^Module path( \*)?$/).fill(MODULE);
    await page.getByLabel('Version', { exact: true }).fill(version);
    await page.getByRole('button', { name: 'Explain' }).click();
    await waitForText(page.locator('[data-verdict] [data-outcome]'), outcome);
  }
  await explain(VERSION, 'Refused by rule 1.');
  check((await page.locator('[data-why]').textContent()).includes('frozen for the release'),
    'the explanation does not tell what a client is told');
  check(await page.locator('[data-rules] li.decided').getAttribute('data-rule') === '1',
    'the deciding rule is not marked');
  await page.reload();
  await expectVisible(rule(2), 'the saved rules after a reload');
  check(await rule(1).getByLabel('Versions').inputValue() === `>= ${VERSION}`, 'the saved rules are not in order');
  await page.getByRole('button', { name: `Move rule 2 (allow ${MODULE}), position 2 of 2` }).focus();
  await page.keyboard.press('Home');
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expectVisible(page.getByText(/Filter rules saved: 2 rules/), 'the reordered rules');
  await explain(VERSION, 'Allowed by rule 1.');
  await explain('v1.5.0', 'Refused by rule 2.');
  await page.getByLabel('Version', { exact: true }).fill('');
  await page.getByLabel(/^Module path( \*)?$/).fill('example.com/other');
  await page.getByRole('button', { name: 'Explain' }).click();
  await waitForText(page.locator('[data-verdict] [data-outcome]'),
    'Allowed: no rule applies, and a deny-list registry admits what no rule decides.');
  await audit(page, 'policies-explained');
  await page.setViewportSize({ width: 375, height: 800 });
  const rulesOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(rulesOverflow <= 0, `the policies page is ${rulesOverflow}px wider than a narrow screen`);
  await page.screenshot({ path: join(SHOTS, 'narrow-policies.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  // What the rules refuse, the go command is refused too; the refusal is in the audit log.
  await rule(1).getByLabel('Versions').fill(`> ${VERSION}`);
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expectVisible(page.getByText(/Filter rules saved: 2 rules/), 'the rules that refuse the pulled version');
  check((await ask('REFUSED-PULL 3')) === 'REFUSED', 'the refused pull was not refused');

  await page.goto(`${BASE}/ui/groups/default/statistics?registry=team&range=24h`);
  await statShown(page, 'blocked', (n) => n >= 1);

  step('audit');
  await page.getByRole('navigation', { name: 'Group pages' }).getByRole('link', { name: 'Audit log' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Audit log of default' }), 'the audit log');
  const blocked = page.locator('tr[data-action="request.blocked"]');
  for (let deadline = Date.now() + 20_000; !(await blocked.count()) && Date.now() < deadline;) {
    // Events are written in batches: ask again until this one is in.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForTimeout(300);
  }
  await expectVisible(blocked, 'the refused pull in the audit log');
  check((await blocked.first().locator('[data-module]').textContent()).trim() === MODULE, 'the event names another module');
  check((await blocked.first().locator('[data-version]').textContent()).trim() === VERSION, 'the event names another version');
  check((await blocked.first().locator('[data-rule]').textContent()).trim() === '2', 'the event names another rule');
  check((await blocked.first().textContent()).includes('team'), 'the event does not name the registry');
  await audit(page, 'audit');
  await page.getByLabel('Range').selectOption('24h');
  await expectVisible(blocked, 'the refused pull in the last 24 hours');
  // Changes made through the API are events too: the filter rules saved above, with what they were before.
  await page.getByLabel('Event', { exact: true }).fill('registry.*');
  await page.getByLabel('Registry', { exact: true }).selectOption('team');
  await page.getByRole('button', { name: 'Refresh' }).click();
  const saves = page.locator('tr[data-action="registry.filters.updated"]');
  // The listing before the filter holds the saves too: the filter has applied once the refused pull is gone.
  await blocked.first().waitFor({ state: 'detached', timeout: 30_000 })
    .catch(() => check(false, 'the refused pull is listed under the registry.* filter'));
  await expectVisible(saves, 'the saved filter rules in the audit log');
  check((await saves.first().locator('[data-target]').textContent()).includes('/registries/team/filters'),
    'the change does not name the API path it called');
  check((await saves.first().locator('[data-actor]').textContent()).includes('admin'), 'the change does not name who made it');
  await saves.first().getByText('Before and after').click();
  check((await saves.first().locator('pre').last().textContent()).includes(`> ${VERSION}`),
    'the change does not show the rules after it');
  await audit(page, 'audit-filtered');
  await page.getByLabel('Event', { exact: true }).fill('no.such.action');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expectVisible(page.getByText('No event in this range matches the filters.'), 'the empty state of a filter');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expectVisible(blocked, 'the refused pull after clearing the filters');

  const t = { BASE, TOKEN, MODULE, VERSION, WEBHOOK_OK_URL, WEBHOOK_DOWN_URL, step, ask, check, expectVisible,
    waitForText, eventually, audit };
  await groupRules(page, t);
  await lifecycle(page, t);
  await webhooks(page, t);
  await instanceAudit(page, t);

  step('sign-out');
  const session = await page.evaluate(() => JSON.parse(sessionStorage.getItem('vreg.session')).accessToken);
  const asSession = () => page.request.get(`${BASE}/api/v1/user`, { headers: { Authorization: `Bearer ${session}` } });
  check((await asSession()).status() === 200, 'the session does not work before signing out');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Sign in to vreg' }), 'the sign-in page after signing out');
  const left = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
  await expectVisible(page.getByText('Signed out: the session is ended on every vreg node.'), 'the signed-out message');
  check((await asSession()).status() === 401, 'the session still works after signing out');
  check(!left.includes('accessToken'), 'the session is still kept after signing out');
  await page.goto(`${BASE}/ui/groups/default/registries/team`);
  await expectVisible(page.getByRole('heading', { name: 'Sign in to vreg' }), 'the sign-in page for a signed-out visit');
  await page.goto(`${BASE}/ui/no/such/page`);
  await expectVisible(page.getByRole('heading', { name: 'Page not found' }), 'the not-found page');
  await asReader(page, t);

  check(consoleErrors.length === 0, `the page threw: ${consoleErrors.join('; ')}`);
  process.stdout.write(`AUDITED ${audited.join(' ')}\n`);
  process.stdout.write('DONE\n');
} finally {
  await browser.close();
  lines.close();
}
