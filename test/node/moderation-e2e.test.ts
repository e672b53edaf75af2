// The moderation loop as it happens on a real install: the real server (`colloquy-server demo`
// on a SQLite file, with a host-site JWT secret), the built embed.js and moderation.js, the demo
// pages, Debian's Chromium. Three readers report a comment in their browsers and it disappears
// for readers; the moderator, signed in with a token from `colloquy-server token`, finds it in
// the queue with the three reports, restores it by keyboard and readers see it again; a second
// comment reported meanwhile arrives live in the queue and is marked spam, and stays gone; a
// comment held for pre-moderation is approved from the Held queue; the audit log shows it all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startServerProcess } from '../support/server-process.js';

const THREAD = '/articles/ten-minutes-outside';
const cli = fileURLToPath(new URL('../../packages/server/src/cli.ts', import.meta.url));
const moderationBundle = fileURLToPath(new URL('../../packages/element/dist/moderation.js', import.meta.url));
const run = promisify(execFile);

async function api(base: string, method: string, path: string, token: string | null, body?: unknown) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

async function reader(base: string, name: string | null) {
  const { token } = await api(base, 'POST', '/identities', null, name ? { name } : {});
  return String(token);
}

async function openArticle(browser: Browser, base: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.locator('colloquy-thread').getByRole('textbox', { name: 'Add a comment' }).waitFor();
  return page;
}

function comment(page: Page, text: string) {
  return page.locator('colloquy-thread [part~="comment"]').filter({ hasText: text });
}

async function reportInBrowser(page: Page, text: string, reason: string, details: string | null) {
  const target = comment(page, text).first();
  await target.getByRole('button', { name: 'Report abuse' }).click();
  await page.getByRole('radio', { name: reason }).check();
  if (details) await page.getByRole('textbox', { name: /details/i }).fill(details);
  await page.getByRole('button', { name: 'Send report' }).click();
}

test('three readers report a comment, it hides, a moderator restores it from the queue; spam reported meanwhile arrives live and is marked spam', { timeout: 240_000 }, async () => {
  assert.ok(existsSync(moderationBundle), 'packages/element/dist/moderation.js is missing: run pnpm build first');
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-moderation-e2e-'));
  const secret = randomBytes(32).toString('hex');
  // The readers are fresh identities on one machine: every reader's report counts here, as on a
  // closed intranet (docs/moderation-trust.md); report-trust.test.ts tests who may hide a comment.
  const everyReaderCounts = { COLLOQUY_TRUST_MIN_AGE_HOURS: '0', COLLOQUY_TRUST_MIN_COMMENTS: '0', COLLOQUY_TRUST_NETWORKS: 'off' };
  const server = await startServerProcess(
    { DATABASE_URL: `sqlite:${join(dir, 'demo.db')}`, COLLOQUY_JWT_SECRET: secret, COLLOQUY_PREMODERATE_THREADS: '/support/', ...everyReaderCounts },
    { command: 'demo' },
  );
  const browser = await launchChromium();
  try {
    const base = server.url;
    const poster = await reader(base, 'Quentin');
    const first = 'My neighbour says walking cures everything, even broken bones.';
    const second = 'CHEAP PILLS for energy, better than any walk, order today';
    await api(base, 'POST', '/comments', poster, { thread: THREAD, body: first });

    // Three readers, each in their own browser, report the first comment.
    const readers = await Promise.all([0, 1, 2].map(() => openArticle(browser, base)));
    await comment(readers[0]!, first).waitFor();
    await reportInBrowser(readers[0]!, first, 'Misinformation', 'Broken bones need a doctor, not a walk.');
    await comment(readers[0]!, first).getByText('Reported').waitFor();
    await reportInBrowser(readers[1]!, first, 'Misinformation', null);
    await comment(readers[1]!, first).getByText('Reported').waitFor();
    // The third report reaches the threshold: the comment is hidden pending review.
    await reportInBrowser(readers[2]!, first, 'Spam or advertising', 'Looks like a joke account');

    // It disappears for readers: live for the ones reading, and for a newcomer too.
    await comment(readers[0]!, first).waitFor({ state: 'detached', timeout: 15_000 });
    const newcomer = await openArticle(browser, base);
    await newcomer.locator('colloquy-thread [part~="comment"]').first().waitFor();
    assert.equal(await comment(newcomer, first).count(), 0, 'a hidden comment is still shown to a new reader');

    // The moderator signs in on the demo's moderation page with a token from the CLI.
    const { stdout } = await run(process.execPath, ['--conditions=colloquy-source', '--import', 'tsx', cli, 'token', '--role', 'moderator', '--name', 'Mia'], {
      env: { ...process.env, COLLOQUY_JWT_SECRET: secret },
    });
    const token = stdout.trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const moderator = await (await browser.newContext()).newPage();
    const requests: string[] = [];
    moderator.on('request', (request) => requests.push(request.url()));
    const pageErrors: string[] = [];
    moderator.on('pageerror', (error) => pageErrors.push(error.message));
    // The demo page runs under the server's strict CSP with Trusted Types: nothing may be refused.
    const refused: string[] = [];
    moderator.on('console', (message) => {
      if (/Content Security Policy|Trusted ?Type/i.test(message.text())) refused.push(message.text());
    });
    await moderator.goto(`${base}/moderation`);
    const queue = moderator.locator('colloquy-moderation');
    await queue.getByText('Sign in as a moderator to see the queue.').waitFor();
    // A token the server does not accept is refused on the spot, with the reason, and not kept.
    await moderator.getByLabel('Moderator token').fill('not-a-token');
    await moderator.getByRole('button', { name: 'Open the queue' }).click();
    await moderator.locator('#sign-in-status').filter({ hasText: 'That token was not accepted' }).waitFor();
    assert.equal(await queue.getAttribute('auth-token'), null, 'a refused token is not given to the queue');
    await moderator.getByLabel('Moderator token').fill(token);
    await moderator.getByRole('button', { name: 'Open the queue' }).click();
    await moderator.locator('#sign-in-status').filter({ hasText: 'Signed in as Mia (moderator).' }).waitFor();

    // The comment is in the Reported queue with its three reports, grouped by reason.
    const item = queue.locator('article[data-item]').filter({ hasText: first });
    await item.waitFor({ timeout: 15_000 });
    assert.equal(await queue.getByRole('tab', { name: /^Reported/ }).getAttribute('aria-selected'), 'true');
    assert.equal((await item.locator('.badge.status').innerText()).trim(), 'hidden by readers’ reports');
    assert.match(await item.locator('[part="reports"] h4').innerText(), /^3 reports \(weight 3; hides at 3\)/);
    const groups = await item.locator('.groups > li').allInnerTexts();
    assert.equal(groups.length, 2);
    // Heaviest group first.
    assert.match(groups[0]!, /^Misinformation — 2 reports/);
    assert.match(groups[0]!, /Broken bones need a doctor, not a walk\./);
    assert.match(groups[0]!, /No details given\./);
    assert.match(groups[1]!, /^Spam or advertising — 1 report/);
    assert.match(groups[1]!, /Looks like a joke account/);
    assert.match(await item.locator('[part="history"]').innerText(), /Author’s history|Author's history/);
    assert.match(await item.locator('.where').innerText(), new RegExp(`Thread: ${THREAD}`));
    // The thread links to the comment in context: the demo article under its canonical path.
    const inContext = await item.locator('.where a').getAttribute('href');
    assert.match(inContext ?? '', new RegExp(`^${base}${THREAD}#comment-c_`), `the link is ${inContext}`);

    // Meanwhile three more readers report another comment: it arrives live, held behind a button.
    await api(base, 'POST', '/comments', poster, { thread: THREAD, body: second });
    for (const name of ['r1', 'r2', 'r3']) {
      const { comments } = await api(base, 'GET', `/comments?thread=${encodeURIComponent(THREAD)}&limit=100`, null);
      const target = (comments as Array<{ id: string; body: string }>).find((c) => c.body === second)!;
      await api(base, 'POST', `/comments/${target.id}/reports`, await reader(base, null), { reason: 'spam', details: `spam, says ${name}` });
    }
    const arrivals = queue.locator('[part="new-items"]');
    await arrivals.waitFor({ timeout: 20_000 });
    assert.equal((await arrivals.innerText()).trim(), 'Show 1 new item');
    assert.equal(await queue.locator('article[data-item]').count(), 1, 'the live arrival moved the list');

    // Restore the first by keyboard: focus it, press R.
    await item.focus();
    await moderator.keyboard.press('r');
    await item.waitFor({ state: 'detached' });
    // Restored, the comment opens from the queue's link: the article, scrolled to it and focused.
    const opened = await (await browser.newContext()).newPage();
    await opened.goto(inContext!);
    const linked = opened.locator(`colloquy-thread #${inContext!.split('#')[1]}`);
    await linked.waitFor();
    await opened.waitForFunction((id) => document.querySelector('colloquy-thread')?.shadowRoot?.activeElement?.id === id, inContext!.split('#')[1]);
    assert.equal(await opened.locator('colloquy-thread article').filter({ hasText: first }).getAttribute('id'), inContext!.split('#')[1], 'the linked comment is the restored one');
    await opened.context().close();
    // Show the new one and mark it as spam with S; focus went to it.
    await arrivals.click();
    const spam = queue.locator('article[data-item]').filter({ hasText: second });
    await spam.waitFor();
    assert.match(await spam.locator('[part="reports"] h4').innerText(), /^3 reports/);
    assert.equal(await spam.evaluate((node) => node.getRootNode() instanceof ShadowRoot && (node.getRootNode() as ShadowRoot).activeElement === node), true);
    await moderator.keyboard.press('s');
    await queue.getByText('No open reports. Nothing needs a decision.').waitFor();
    await queue.getByRole('tab', { name: /^Hidden/ }).click();
    await queue.locator('article[data-item]').filter({ hasText: second }).waitFor();

    // A comment held for pre-moderation waits in the Held queue until the moderator approves it with A.
    const question = 'Is it safe to walk with a knee brace?';
    await api(base, 'POST', '/comments', poster, { thread: '/support/knees', body: question });
    assert.deepEqual((await api(base, 'GET', '/comments?thread=/support/knees', null)).comments, [], 'a held comment is shown to readers');
    await queue.getByRole('tab', { name: /^Held/ }).click();
    const held = queue.locator('article[data-item]').filter({ hasText: question });
    await held.waitFor();
    assert.equal((await held.locator('.badge.status').innerText()).trim(), 'held for review');
    await held.focus();
    await moderator.keyboard.press('a');
    await held.waitFor({ state: 'detached' });
    const published = (await api(base, 'GET', '/comments?thread=/support/knees', null)).comments as Array<{ body: string; status: string }>;
    assert.deepEqual(published.map((c) => [c.body, c.status]), [[question, 'visible']]);

    // The audit log lists the decisions by the moderator, and the threshold's automatic hides.
    await queue.getByRole('button', { name: 'Audit log' }).click();
    const log = queue.locator('#audit tbody tr');
    await log.first().waitFor();
    const entries = (await log.allInnerTexts()).map((row) => row.replace(/\s+/g, ' '));
    assert.match(entries[0]!, /Mia Approved comment /);
    assert.match(entries[1]!, /Mia Marked spam comment /);
    assert.match(entries[2]!, /Mia Restored comment /);
    assert.equal(entries.filter((row) => /Report threshold Hidden by reports/.test(row)).length, 2, entries.join('\n'));
    const [download] = await Promise.all([moderator.waitForEvent('download'), queue.getByRole('button', { name: 'Export as JSON' }).click()]);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as { format: string; entries: Array<{ action: string }> };
    assert.equal(exported.format, 'colloquy-audit-log');
    assert.deepEqual(exported.entries.map((entry) => entry.action).slice(0, 3), ['approve', 'spam', 'restore']);

    // Bans: the author banned elsewhere shows in the ban list and is lifted there; a range is banned and lifted.
    const { identity: quentin } = await api(base, 'GET', '/identities/me', poster);
    await api(base, 'POST', `/moderation/identities/${(quentin as { id: string }).id}`, token, { action: 'ban', reason: 'Test ban' });
    await queue.getByRole('button', { name: 'Bans', exact: true }).click();
    const bans = queue.locator('#bans');
    await bans.getByRole('button', { name: 'Lift ban — Quentin' }).waitFor();
    await bans.getByRole('button', { name: 'Lift ban — Quentin' }).click();
    await bans.getByText('No banned authors.').waitFor();
    await bans.getByLabel(/Address or range/).fill('192.0.2.0/24');
    await bans.getByLabel('Reason (optional)').fill('Spam wave');
    await bans.getByRole('button', { name: 'Ban range' }).click();
    await bans.locator('code', { hasText: '192.0.2.0/24' }).waitFor();
    await bans.getByRole('button', { name: 'Lift ban — 192.0.2.0/24' }).click();
    await bans.getByText('No banned address ranges.').waitFor();
    const actions = ((await api(base, 'GET', '/moderation/audit?limit=4', token)).entries as Array<{ action: string }>).map((entry) => entry.action);
    assert.deepEqual(actions, ['unban-range', 'ban-range', 'unban-author', 'ban-author']);

    // Readers see the result: the restored comment is back (live for those reading), the spam is gone.
    await comment(readers[1]!, first).waitFor({ timeout: 15_000 });
    const later = await openArticle(browser, base);
    await comment(later, first).waitFor();
    assert.equal(await comment(later, second).count(), 0, 'the comment marked as spam is still shown');

    const foreign = requests.filter((url) => !url.startsWith(base) && !url.startsWith('data:'));
    assert.deepEqual(foreign, [], 'the moderation page made requests to other origins');
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(refused, [], 'the moderation page broke its content security policy');
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
