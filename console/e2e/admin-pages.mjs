// The console's pages for the group's filter rules, lifecycle policies, webhooks and the instance audit log, driven
// by scenario.mjs in the same browser, against the same vreg, after the registry and its pulls exist. `t` holds the
// scenario's helpers and settings.
import { readFileSync } from 'node:fs';

export async function groupRules(page, t) {
  const { BASE, MODULE, VERSION, check, expectVisible, waitForText, audit } = t;
  t.step('group-rules');
  await page.goto(`${BASE}/ui/groups/default/policies?registry=team`);
  await page.getByLabel('Rules of', { exact: true }).selectOption({ label: 'the group (read first, for every registry)' });
  await expectVisible(page.getByRole('heading', { name: 'Filter rules of the group default' }), 'the group’s rules');
  await expectVisible(page.getByText('No rules: every module and version is admitted.'), 'the empty group rules');
  const rule = page.locator('[data-rules] li[data-rule="1"]');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await rule.getByLabel('Module path pattern').fill('example.com/[');
  await rule.getByLabel('Reason told to clients').fill('blocked group-wide');
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expectVisible(rule.locator('.field.invalid .error'), 'the malformed pattern’s error under it');
  check((await rule.getByLabel('Module path pattern').getAttribute('aria-invalid')) === 'true',
    'the malformed pattern is not marked invalid');
  await rule.getByLabel('Module path pattern').fill('example.com/blocked');
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expectVisible(page.getByText(/Group filter rules saved: 1 rule/), 'the saved group rules');
  async function explain(module, version, outcome) {
    await page.getByLabel(/^Module path( \*)?$/).fill(module);
    await page.getByLabel('Version', { exact: true }).fill(version);
    await page.getByRole('button', { name: 'Explain' }).click();
    await waitForText(page.locator('[data-verdict] [data-outcome]'), outcome);
  }
  await page.getByLabel('For registry').selectOption('team');
  await explain('example.com/blocked/sub', 'v1.0.0', 'Refused by group rule 1.');
  check((await page.locator('[data-why]').textContent()).includes('blocked group-wide'), 'the group rule’s reason is not told');
  check(await page.locator('[data-rules] li.decided').getAttribute('data-rule') === '1', 'the deciding group rule is not marked');
  // A version the registry's own rules decide: named as the registry's rule, with a way to its list.
  await explain(MODULE, VERSION, 'Refused by rule 2.');
  check((await page.locator('[data-level]').textContent()).startsWith('Registry rule 2'), 'the level of the decision is not named');
  check(await page.locator('[data-rules] li.decided').count() === 0, 'a registry rule is marked among the group’s rules');
  await audit(page, 'group-rules');
  await page.reload();
  await expectVisible(rule, 'the group rule after a reload');
  await rule.getByLabel('Action').selectOption('allow');
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expectVisible(page.getByText(/Group filter rules saved: 1 rule/), 'the edited group rule');
  await explain('example.com/blocked', '', 'Allowed by group rule 1.');
  await page.getByRole('button', { name: 'Remove rule 1' }).click();
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expectVisible(page.getByText(/Group filter rules saved: 0 rules/), 'the group rules emptied');
  await explain('example.com/blocked', '', 'Allowed: no rule applies, and a deny-list registry admits what no rule decides.');
  // The registry's page explains through the group's rules too, naming the level.
  await page.getByLabel('Rules of', { exact: true }).selectOption({ label: 'registry team' });
  await expectVisible(page.getByRole('heading', { name: 'Filter rules of team' }), 'the registry’s rules again');
}

export async function lifecycle(page, t) {
  const { BASE, VERSION, check, expectVisible, eventually, audit, ask } = t;
  t.step('lifecycle');
  check((await ask('AGE 90')) === 'AGED', 'the cached files were not aged');
  await page.getByRole('navigation', { name: 'Group pages' }).getByRole('link', { name: 'Lifecycle' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Lifecycle policies of default' }), 'the lifecycle page');
  const overview = page.locator('tr[data-target="registry:team"] [data-summary]');
  await expectVisible(overview.filter({ hasText: 'No policy' }), 'registry team without a policy in the list');
  check(await page.locator('tr[data-target^="upstream:"]').count() >= 2, 'the upstreams are not listed');
  await page.getByLabel('Policy of', { exact: true }).selectOption('registry:team');
  await expectVisible(page.getByRole('heading', { name: 'Lifecycle policy of registry team' }), 'the policy of team');
  await expectVisible(page.locator('[data-no-policy]'), 'the empty state of a registry without a policy');
  const unused = page.getByLabel(/^Delete files not pulled for \(days\)/);
  await unused.fill('0');
  await page.getByRole('button', { name: 'Create policy' }).click();
  await expectVisible(page.locator('#lc-unused-error'), 'the error of an unused-days value out of range');
  check((await unused.getAttribute('aria-invalid')) === 'true', 'the days are not marked invalid');
  await unused.fill('30');
  await page.getByRole('button', { name: 'Create policy' }).click();
  await expectVisible(page.getByText('Lifecycle policy created.', { exact: false }), 'the created policy');
  await expectVisible(overview.filter({ hasText: 'Deletes files not pulled for 30 days' }), 'the policy in the list');
  await unused.fill('60');
  await page.getByLabel('Keep the newest versions of each module').fill('0');
  await page.getByLabel('Enabled: runs on its schedule', { exact: false }).uncheck();
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expectVisible(page.getByText('Lifecycle policy saved.', { exact: false }), 'the edited policy');
  await expectVisible(overview.filter({ hasText: '60 days; runs only when run by hand' }), 'the edited policy in the list');
  await page.getByRole('button', { name: 'Dry run' }).click();
  await expectVisible(page.locator('[data-plan-count]'), 'the dry run’s plan');
  check(/would delete [1-9]\d* files?/.test(await page.locator('[data-plan-count]').textContent()),
    `the dry run plans ${await page.locator('[data-plan-count]').textContent()}`);
  await expectVisible(page.locator(`tr[data-planned$="@v/${VERSION}.zip"]`), 'the aged zip among what a run would delete');
  await expectVisible(page.getByText('No run yet', { exact: false }), 'the empty state of the runs');
  await page.getByRole('button', { name: 'Run now' }).click();
  const run = page.locator('tr[data-run][data-outcome="succeeded"]');
  await expectVisible(run, 'the finished run', 20_000);
  check(Number(await run.first().locator('[data-deleted]').textContent()) >= 1, 'the run deleted nothing');
  await page.getByRole('button', { name: 'Dry run' }).click();
  await eventually(async () => /would delete nothing/.test(await page.locator('[data-plan-count]').textContent()),
    'a dry run after the run still plans deletions');
  await audit(page, 'lifecycle');
  await page.getByRole('button', { name: 'Delete policy' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expectVisible(page.getByText('Deleted the lifecycle policy of registry team.'), 'the deleted policy');
  await expectVisible(overview.filter({ hasText: 'No policy' }), 'registry team without a policy again');
}

export async function webhooks(page, t) {
  const { WEBHOOK_OK_URL, WEBHOOK_DOWN_URL, check, expectVisible, audit } = t;
  t.step('webhooks');
  await page.getByRole('navigation', { name: 'Group pages' }).getByRole('link', { name: 'Webhooks' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Webhooks of default' }), 'the webhooks page');
  await expectVisible(page.getByText('No webhook yet.', { exact: false }), 'the empty state of the webhooks');
  await page.getByLabel(/^URL( \*)?$/).fill('ftp://hooks.example/vreg');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await expectVisible(page.locator('#hook-url-error'), 'the URL’s error');
  check((await page.getByLabel(/^URL( \*)?$/).getAttribute('aria-invalid')) === 'true', 'the URL is not marked invalid');
  await page.getByLabel(/^URL( \*)?$/).fill(WEBHOOK_OK_URL);
  await page.getByLabel('A lifecycle policy run finished', { exact: false }).check();
  await page.getByLabel('Description', { exact: true }).fill('chat room');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await expectVisible(page.locator('[data-secret]'), 'the secret vreg made, shown once');
  check((await page.locator('#webhook-secret').textContent()).trim().length >= 16, 'the secret shown is too short');
  const row = page.locator(`tr[data-webhook="${WEBHOOK_OK_URL}"]`);
  await expectVisible(row, 'the new webhook in the list');
  check((await row.locator('[data-events]').textContent()).includes('policy.run.finished'), 'the events are not listed');
  await expectVisible(page.getByText('Nothing sent yet.', { exact: false }), 'the empty delivery log');
  await audit(page, 'webhooks');
  await page.reload();
  await expectVisible(row, 'the webhook after a reload');
  check(await page.locator('[data-secret]').count() === 0, 'the secret is shown again after a reload');
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expectVisible(page.locator('[data-tested]').filter({ hasText: 'Delivered (answered 200) after 1 attempt.' }),
    'the delivered test event');
  const delivered = page.locator('tr[data-delivery][data-state="delivered"]');
  await expectVisible(delivered, 'the delivery in the log');
  check((await delivered.first().locator('[data-status]').textContent()).trim() === '200', 'the log shows another status');
  // Pointed at a receiver that is down, the test event fails, is tried again, and the log says so.
  await page.getByLabel(/^URL( \*)?$/).fill(WEBHOOK_DOWN_URL);
  await page.getByLabel('Enabled: deliveries are sent').check();
  await page.getByRole('button', { name: 'Save webhook' }).click();
  await expectVisible(page.getByText(/Webhook \d+ saved/), 'the edited webhook');
  await expectVisible(page.locator(`tr[data-webhook="${WEBHOOK_DOWN_URL}"]`), 'the edited URL in the list');
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expectVisible(page.locator('[data-tested]').filter({ hasText: 'answered 503' }), 'the failed test event');
  const failed = page.locator('tr[data-delivery][data-state="failed"]');
  for (let deadline = Date.now() + 20_000; !(await failed.count()) && Date.now() < deadline;) {
    await page.getByRole('button', { name: 'Refresh deliveries' }).click();
    await page.waitForTimeout(300);
  }
  await expectVisible(failed, 'the delivery that failed every attempt');
  check(Number(await failed.first().locator('[data-attempts]').textContent()) === 2, 'the failed delivery was not tried twice');
  check((await failed.first().locator('[data-status]').textContent()).trim() === '503', 'the failed delivery’s status');
  await audit(page, 'webhook-deliveries');
  await page.getByRole('button', { name: 'Delete webhook' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expectVisible(page.getByText(/Deleted webhook \d+/), 'the deleted webhook');
  await expectVisible(page.getByText('No webhook yet.', { exact: false }), 'the empty list after the deletion');
}

export async function instanceAudit(page, t) {
  const { check, expectVisible, audit } = t;
  t.step('instance-audit');
  await page.getByRole('link', { name: 'Instance audit log' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Instance audit log' }), 'the instance audit log');
  await page.getByLabel('Event', { exact: true }).fill('webhook.*');
  await page.getByLabel('Group', { exact: true }).fill('default');
  const created = page.locator('tr[data-action="webhook.created"]');
  const deleted = page.locator('tr[data-action="webhook.deleted"]');
  const others = page.locator('tr[data-action]:not([data-action^="webhook."])');
  // The filters apply on Refresh, and events are written in batches: ask until the deletion, the last change, is
  // in and only webhook events are listed.
  for (let deadline = Date.now() + 20_000; ;) {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForTimeout(300);
    const done = await deleted.count() && await created.count() && !(await others.count());
    if (done || Date.now() > deadline) {
      break;
    }
  }
  await expectVisible(created, 'the created webhook in the instance audit log');
  check((await created.first().locator('[data-group]').textContent()).trim() === 'default', 'the event names another group');
  await expectVisible(deleted, 'the deleted webhook in the instance audit log');
  check(await others.count() === 0,
    'events of other actions are listed under the webhook.* filter');
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export NDJSON' }).click()]);
  check(download.suggestedFilename().endsWith('.ndjson'), `the export is named ${download.suggestedFilename()}`);
  const lines = readFileSync(await download.path(), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  check(lines.length >= 3 && lines.every((e) => e.action.startsWith('webhook.') && e.group === 'default'),
    `the export holds ${JSON.stringify(lines.map((e) => e.action))}`);
  check(lines.some((e) => e.action === 'webhook.tested'), 'the export lacks the test events');
  await audit(page, 'instance-audit');
  // Instance-wide events belong to no group.
  await page.getByLabel('Event', { exact: true }).fill('session.created');
  await page.getByLabel('Group', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Refresh' }).click();
  const session = page.locator('tr[data-action="session.created"]');
  await expectVisible(session, 'the sessions in the instance audit log');
  check((await session.first().locator('[data-group]').textContent()).trim() === 'instance', 'a session is given a group');
  await page.getByLabel('Event', { exact: true }).fill('no.such.action');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expectVisible(page.getByText('No event in this range matches the filters.'), 'the empty state of the filters');
}

/** A reader of the group, signed in: the changes the API would refuse are not offered, and the log says why. */
export async function asReader(page, t) {
  const { BASE, TOKEN, check, expectVisible } = t;
  t.step('reader');
  const admin = { Authorization: `Bearer ${TOKEN}` };
  const created = async (response, what) => {
    check(response.ok(), `${what}: ${response.status()} ${await response.text()}`);
    return response.json();
  };
  await created(await page.request.post(`${BASE}/api/v1/users`, { headers: admin, data: { username: 'reader' } }), 'the reader');
  const token = (await created(await page.request.post(`${BASE}/api/v1/users/reader/tokens`,
    { headers: admin, data: { name: 'console', scopes: ['read', 'write'] } }), 'the reader’s token')).token;
  await created(await page.request.put(`${BASE}/api/v1/groups/default/members/reader`,
    { headers: admin, data: { role: 'reader' } }), 'the membership');
  await page.goto(`${BASE}/ui/sign-in`);
  await page.getByLabel('Personal token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Upstreams of default' }), 'the group as a reader');
  check(await page.getByRole('link', { name: 'Instance audit log' }).count() === 0, 'a reader is offered the instance audit log');
  await page.goto(`${BASE}/ui/groups/default/lifecycle?target=registry:team`);
  await expectVisible(page.locator('[data-read-only]').filter({ hasText: 'role in this group is reader' }),
    'why a reader cannot set a lifecycle policy');
  check(await page.getByRole('button', { name: 'Create policy' }).isDisabled(), 'a reader is offered to create a policy');
  await page.goto(`${BASE}/ui/groups/default/policies?level=group`);
  await expectVisible(page.locator('[data-read-only]'), 'why a reader cannot change the group’s rules');
  check(await page.getByRole('button', { name: 'Add rule' }).isDisabled(), 'a reader is offered to add a rule');
  await page.goto(`${BASE}/ui/groups/default/webhooks`);
  await expectVisible(page.locator('[data-read-only]').filter({ hasText: 'maintainers and owners only' }),
    'why a reader sees no webhooks');
  check(await page.getByRole('button', { name: 'Create webhook' }).count() === 0, 'a reader is offered a webhook form');
  await page.goto(`${BASE}/ui/audit`);
  await expectVisible(page.getByRole('alert').filter({ hasText: 'instance admin' }), 'the refusal of the instance audit log');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expectVisible(page.getByRole('heading', { name: 'Sign in to vreg' }), 'the sign-in page after the reader signs out');
}
