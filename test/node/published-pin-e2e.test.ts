// Pinning a comment nobody reported, as it happens on a real install: the real server (a SQLite
// file, a host-site JWT secret), the built moderation.js and embed.js, the demo pages, Debian's
// Chromium. A staff member answers a question; the moderator opens the queue's Published tab,
// finds the answer by searching its words, pins it, and a reader opening the article sees it first
// with its "Pinned" mark (docs/decisions/0037, "Amendment: pins from the Published view").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { launchChromium } from '../support/browser.js';
import { startServerProcess } from '../support/server-process.js';

const SECRET = 'published-pin-e2e-secret-published-pin-e2e';
const THREAD = '/articles/ten-minutes-outside';
const moderationBundle = fileURLToPath(new URL('../../packages/element/dist/moderation.js', import.meta.url));

const hostSiteToken = (sub: string, name: string, role: string) =>
  new SignJWT({ name, role }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));

test('a moderator finds a staff answer nobody reported in the Published tab, pins it, and readers see it first', { timeout: 180_000 }, async () => {
  assert.ok(existsSync(moderationBundle), 'packages/element/dist/moderation.js is missing: run pnpm build first');
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-published-pin-'));
  const server = await startServerProcess({ DATABASE_URL: `sqlite:${join(dir, 'colloquy.db')}`, COLLOQUY_JWT_SECRET: SECRET });
  const browser = await launchChromium();
  try {
    const base = server.url;
    const post = async (token: string, body: string) => {
      const response = await fetch(`${base}/api/v1/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ thread: THREAD, body }),
      });
      const answer = await response.json();
      assert.equal(response.status, 201, JSON.stringify(answer));
      return answer.comment.id as string;
    };
    const reader = (await (await fetch(`${base}/api/v1/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Rosa"}' })).json()).token;
    await post(reader, 'Can I walk with a knee brace?');
    const answer = await post(await hostSiteToken('staff-sol', 'Sol', 'staff'), 'Staff answer: yes, our knee brace guide explains how to start gently.');
    for (const body of ['Thanks, that helps.', 'I walk every lunch break now.']) await post(reader, body);

    const moderator = await (await browser.newContext()).newPage();
    const pageErrors: string[] = [];
    moderator.on('pageerror', (error) => pageErrors.push(error.message));
    await moderator.goto(`${base}/moderation`);
    await moderator.getByLabel('Moderator token').fill(await hostSiteToken('mod-mina', 'Mina', 'moderator'));
    await moderator.getByRole('button', { name: 'Open the queue' }).click();
    await moderator.locator('#sign-in-status').filter({ hasText: 'Signed in as Mina (moderator).' }).waitFor();
    const queue = moderator.locator('colloquy-moderation');
    await queue.getByText('No open reports. Nothing needs a decision.').waitFor();

    // Nobody reported it: it is only in the Published tab, newest first.
    const published = queue.getByRole('tab', { name: /^Published/ });
    await published.click();
    const listed = queue.locator('article[data-item]');
    await listed.first().waitFor();
    assert.equal(await published.getAttribute('aria-selected'), 'true');
    assert.match(await listed.first().innerText(), /I walk every lunch break now\./, 'the newest comment first');
    await queue.locator('#search-q').fill('knee brace guide');
    await queue.locator('#search-q').press('Enter');
    await queue.locator('[data-searching]').waitFor();
    const item = listed.filter({ hasText: 'Staff answer' });
    await moderator.waitForFunction(() => document.querySelector('colloquy-moderation')?.shadowRoot?.querySelectorAll('article[data-item]').length === 1);
    assert.equal(await item.getAttribute('data-item'), answer);
    await item.getByRole('button', { name: 'Pin in thread' }).click();
    await item.getByRole('button', { name: 'Unpin' }).waitFor();
    assert.match(await item.innerText(), /\(pinned: shown first\)/);

    // A reader opening the article sees the answer first, marked, although the thread is oldest first.
    const article = await (await browser.newContext()).newPage();
    await article.goto(`${base}/`);
    await article.locator('colloquy-thread').getByRole('textbox', { name: 'Add a comment' }).waitFor();
    const first = article.locator('colloquy-thread [part~="list"] > li > article').first();
    await first.waitFor();
    assert.equal(await first.getAttribute('id'), `comment-${answer}`);
    assert.equal((await first.locator('[part~="pinned"]').textContent())?.trim(), 'Pinned');
    const audit = await (await fetch(`${base}/api/v1/moderation/audit?commentId=${answer}`, { headers: { authorization: `Bearer ${await hostSiteToken('mod-mina', 'Mina', 'moderator')}` } })).json();
    assert.deepEqual(audit.entries.map((entry: { action: string; moderator: { name: string } }) => [entry.action, entry.moderator.name]), [['pin', 'Mina']]);
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
