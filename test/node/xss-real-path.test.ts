// The security corpus through the real path, as the corpus's harness contract asks: every
// record of shared/corpus/xss.jsonl is submitted to the real server (`colloquy-server` on a
// SQLite file) as a comment body and as a screen name, stored, read back through the API and
// rendered by the built embed.js in Debian's Chromium, one record at a time. Nothing may run,
// every control must survive, every probe must hold, and the network outside the server is
// blocked and watched. Refusals must be clean: a 4xx with the error envelope, never a 5xx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLOWED_TAGS, LINK_REL, displayText } from '@colloquy/core';
import { launchChromium } from '../support/browser.js';
import { startServerProcess } from '../support/server-process.js';
import { corpusPath } from '../../scripts/corpus.mjs';

interface CorpusRecord {
  id: string;
  field: string;
  kind: 'attack' | 'probe' | 'control';
  payload: string | null;
  note: string;
  tags: string[];
  trigger?: string;
  generator?: { prefix: string; unit: string; count: number; suffix: string };
}

/** The corpus's names that claim a role ("Moderator ✔️", "(admin)", Cyrillic and full-width "Admin"): refused as `name_not_allowed`. */
const IMPERSONATIONS = new Set(['1418', '1421', '1426', '1427']);

const harnessPath = fileURLToPath(new URL('../support/xss-harness.js', import.meta.url));
const embedPath = fileURLToPath(new URL('../../packages/element/dist/embed.js', import.meta.url));

const records: CorpusRecord[] = readFileSync(corpusPath('xss.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusRecord);

function payloadOf(record: CorpusRecord): string {
  if (record.payload !== null) return record.payload;
  const { prefix, unit, count, suffix } = record.generator!;
  return prefix + unit.repeat(count) + suffix;
}

interface Answer {
  status: number;
  json: unknown;
}

/** Set by the test: the server's own output, shown when a request cannot reach it at all. */
let serverLog: () => string = () => '';

async function call(url: string, init: RequestInit): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new Error(`${init.method ?? 'GET'} ${url} with ${String(init.body ?? '').length} characters of body failed (${String((error as Error).cause ?? error)}); the server said:\n${serverLog().slice(-4000)}`, { cause: error });
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

/** A refusal must be a client error with the envelope, never a crash. */
function assertCleanRefusal(answer: Answer, what: string): void {
  assert.ok(answer.status >= 400 && answer.status < 500, `${what}: status ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
  const error = (answer.json as { error?: { code?: unknown; message?: unknown } }).error;
  assert.equal(typeof error?.code, 'string', `${what}: error code`);
  assert.equal(typeof error?.message, 'string', `${what}: error message`);
}

test('every XSS corpus record, posted through the API as body and screen name, is inert in the built embed.js', { timeout: 900_000 }, async () => {
  assert.ok(existsSync(embedPath), 'embed.js is built (pnpm build) before this test runs');
  assert.ok(records.length > 700, `the corpus has its records (${records.length})`);
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-xss-'));
  const server = await startServerProcess({ DATABASE_URL: `sqlite:${join(dir, 'xss.db')}` });
  serverLog = () => `${server.output()}\n(exit code ${server.child.exitCode}, signal ${server.child.signalCode})`;
  const browser = await launchChromium();
  const summary = { records: 0, bodiesStored: 0, bodiesRefused: 0, namesStored: 0, namesRefused: 0 };
  const failures: string[] = [];
  try {
    // --- submit every record: its payload as a screen name, and as the body of a comment ---
    const prepared: Array<{ record: CorpusRecord; payload: string; thread: string; name: string; bodyStored: boolean }> = [];
    for (const record of records) {
      const payload = payloadOf(record);
      const thread = `/xss/${record.id}`;
      const json = { 'content-type': 'application/json' };
      let identity = await call(`${server.url}/api/v1/identities`, { method: 'POST', headers: json, body: JSON.stringify({ name: payload }) });
      if (IMPERSONATIONS.has(record.id)) assert.notEqual(identity.status, 201, `${record.id}: an impersonating name was accepted`);
      if (identity.status === 201) {
        summary.namesStored++;
      } else {
        assertCleanRefusal(identity, `${record.id} as a screen name`);
        if (record.kind === 'control' && record.field === 'author') assert.fail(`${record.id}: a control name was refused`);
        if (IMPERSONATIONS.has(record.id)) {
          assert.equal((identity.json as { error: { code: string } }).error.code, 'name_not_allowed', `${record.id}: refused as an impersonation`);
        }
        summary.namesRefused++;
        identity = await call(`${server.url}/api/v1/identities`, { method: 'POST', headers: json, body: JSON.stringify({ name: `Reader ${record.id}` }) });
        assert.equal(identity.status, 201);
      }
      const { token, identity: who } = identity.json as { token: string; identity: { name: string } };
      const auth = { ...json, authorization: `Bearer ${token}` };
      let created = await call(`${server.url}/api/v1/comments`, {
        method: 'POST',
        headers: { ...auth, 'idempotency-key': `xss-${record.id}` },
        body: JSON.stringify({ thread, body: payload }),
      });
      let bodyStored = created.status === 201;
      if (bodyStored) {
        summary.bodiesStored++;
        const stored = (created.json as { comment: { body: string } }).comment.body;
        if (record.kind === 'control') assert.equal(stored, payload, `${record.id}: a control body is stored as typed`);
      } else {
        assertCleanRefusal(created, `${record.id} as a body`);
        // A body with nothing visible in it (the whitespace control) is refused as empty; any
        // other control must be accepted.
        const code = (created.json as { error: { code: string } }).error.code;
        const empty = displayText(payload) === '' && code === 'invalid_input';
        if (record.kind === 'control' && record.field !== 'author' && !empty) assert.fail(`${record.id}: a control body was refused (${code})`);
        summary.bodiesRefused++;
        // The name still has to be shown somewhere: under a neutral comment.
        created = await call(`${server.url}/api/v1/comments`, {
          method: 'POST',
          headers: { ...auth, 'idempotency-key': `xss-${record.id}-neutral` },
          body: JSON.stringify({ thread, body: `The body of record ${record.id} was refused.` }),
        });
        assert.equal(created.status, 201, JSON.stringify(created.json));
        bodyStored = false;
      }
      prepared.push({ record, payload, thread, name: who.name, bodyStored });
    }

    // --- render each record's thread with the built embed.js, one at a time ---
    const context = await browser.newContext();
    const foreign: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${server.url}/`)) return route.continue();
      foreign.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript({ path: harnessPath });
    // The host page lives on the server's origin, like an article the widget is embedded in.
    await page.route(`${server.url}/__xss-harness`, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>XSS harness</title>' +
          '<script type="module" src="/embed.js"></script></head><body><h1>Article</h1></body></html>',
      }),
    );
    await page.goto(`${server.url}/__xss-harness`);
    await page.waitForFunction('customElements.get("colloquy-thread") !== undefined');
    assert.deepEqual(await page.evaluate('window.__harness.selfTest()'), ['1', '2', 'alert(3)'], 'the harness sees script that runs');

    for (const { record, payload, thread, name, bodyStored } of prepared) {
      summary.records++;
      const expected = {
        thread,
        endpoint: server.url,
        name: displayText(name, '—'),
        allowedTags: ALLOWED_TAGS,
        linkRel: LINK_REL,
        bodyStored,
      };
      let result: string[];
      try {
        result = (await page.evaluate(
          `window.__harness.run(${JSON.stringify(record)}, ${JSON.stringify(payload)}, ${JSON.stringify(expected)})`,
        )) as string[];
      } catch (error) {
        result = [`the harness failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`];
      }
      if (record.kind === 'control' && record.field === 'author' && name !== payload) result.push('a control name was changed');
      for (const message of result) failures.push(`${record.id} ${record.field} ${record.kind}: ${message}`);
    }
    await context.close();

    console.log(
      `xss real path: ${summary.records} records rendered by embed.js; bodies stored ${summary.bodiesStored}, refused ${summary.bodiesRefused}; ` +
        `names stored ${summary.namesStored}, refused ${summary.namesRefused}`,
    );
    assert.deepEqual(failures, [], `${failures.length} records failed:\n${failures.slice(0, 40).join('\n')}`);
    assert.deepEqual(foreign, [], 'the page asked for something outside the server');
    assert.deepEqual(pageErrors, [], 'the page threw');
    assert.equal(summary.records, records.length);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
