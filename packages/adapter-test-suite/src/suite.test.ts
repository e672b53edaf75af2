import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ColloquyError } from '@colloquy/core';
import { deepEqual, eventually, rejectsWith } from './check.js';
import { ADAPTER_RULES, ruleIdsOf, runAdapterSuite } from './index.js';
import type { SuiteContext } from './index.js';

/** A runner that only records what the suite registers. */
function recordingRunner() {
  const groups: string[] = [];
  const tests: { name: string; body: () => Promise<void> }[] = [];
  const hooks: { before: (() => unknown)[]; after: (() => unknown)[] } = { before: [], after: [] };
  return {
    groups,
    tests,
    hooks,
    runner: {
      describe: (name: string, body: () => void) => {
        groups.push(name);
        body();
      },
      it: (name: string, body: () => Promise<void>) => void tests.push({ name, body }),
      beforeEach: (hook: () => unknown) => void hooks.before.push(hook),
      afterEach: (hook: () => unknown) => void hooks.after.push(hook),
    },
  };
}

describe('runAdapterSuite', () => {
  it('registers every group, with test bodies that declare no parameters (Mocha-safe)', () => {
    const recorded = recordingRunner();
    runAdapterSuite({ name: 'x', ...recorded.runner, setup: async () => ({ connect: () => { throw new Error('unused'); } }) });
    for (const group of ['contract', 'identity', 'create', 'ordering', 'paging', 'nesting', 'edit', 'delete', 'reports', 'idempotent create', 'counts', 'text', 'errors', 'roles', 'live (when capabilities.live)']) {
      assert.ok(recorded.groups.includes(group), `group ${group}`);
    }
    assert.ok(recorded.tests.length >= 30);
    for (const test of recorded.tests) assert.equal(test.body.length, 0, `${test.name} declares a parameter`);
    assert.equal(recorded.hooks.before.length, 1);
    assert.equal(recorded.hooks.after.length, 1);
  });

  it('proves every rule with at least one test, and every test names the rules it proves', () => {
    const recorded = recordingRunner();
    runAdapterSuite({ name: 'x', ...recorded.runner, setup: async () => ({ connect: () => { throw new Error('unused'); } }) });
    const known = new Set(ADAPTER_RULES.map((rule) => rule.id));
    assert.equal(known.size, ADAPTER_RULES.length, 'rule ids are unique');
    const proved = new Set<string>();
    for (const test of recorded.tests) {
      const ids = ruleIdsOf(test.name);
      assert.ok(ids.length > 0, `${test.name} names no rule`);
      for (const id of ids) {
        assert.ok(known.has(id), `${test.name} names an unknown rule ${id}`);
        proved.add(id);
      }
    }
    assert.deepEqual([...known].filter((id) => !proved.has(id)), [], 'rules without a test');
  });

  it('lists the same rules as docs/adapters.md', () => {
    const docs = readFileSync(new URL('../../../docs/adapters.md', import.meta.url), 'utf8');
    for (const rule of ADAPTER_RULES) {
      assert.ok(docs.includes(`| ${rule.id} | ${rule.group} | ${rule.rule} |`), `docs/adapters.md lacks or differs on ${rule.id}`);
    }
  });

  it('reads rule ids from test titles', () => {
    assert.deepEqual(ruleIdsOf('[R4 R15] identify(name) …'), ['R4', 'R15']);
    assert.deepEqual(ruleIdsOf('[R12] keyset'), ['R12']);
    assert.deepEqual(ruleIdsOf('no rule here [R1]'), []);
  });

  it('calls setup before each test and teardown after it', async () => {
    const recorded = recordingRunner();
    const calls: string[] = [];
    runAdapterSuite({
      name: 'x',
      ...recorded.runner,
      setup: async (): Promise<SuiteContext> => {
        calls.push('setup');
        return { connect: () => { throw new Error('unused'); }, teardown: async () => void calls.push('teardown') };
      },
    });
    await recorded.hooks.before[0]!();
    await recorded.hooks.after[0]!();
    await recorded.hooks.before[0]!();
    await recorded.hooks.after[0]!();
    assert.deepEqual(calls, ['setup', 'teardown', 'setup', 'teardown']);
  });
});

describe('suite assertions', () => {
  it('rejectsWith accepts only a ColloquyError with the expected code', async () => {
    await rejectsWith(() => Promise.reject(new ColloquyError('not_found', 'gone')), 'not_found', 'match');
    await assert.rejects(rejectsWith(() => Promise.reject(new ColloquyError('forbidden', 'no')), 'not_found', 'm'), /expected code not_found, got forbidden/);
    await assert.rejects(rejectsWith(() => Promise.reject(new TypeError('boom')), 'not_found', 'm'), /expected ColloquyError/);
    await assert.rejects(rejectsWith(() => Promise.resolve(1), 'not_found', 'm'), /resolved with 1/);
  });

  it('deepEqual compares structure and treats absent and undefined alike', () => {
    deepEqual({ a: [1, { b: 'x' }], c: undefined }, { a: [1, { b: 'x' }] }, 'same');
    assert.throws(() => deepEqual({ a: [1, 2] }, { a: [2, 1] }, 'order'), /order/);
    assert.throws(() => deepEqual([], {}, 'kinds'), /kinds/);
  });

  it('eventually gives up with the message', async () => {
    await assert.rejects(eventually(() => false, 'never happened', 50), /never happened \(waited 50 ms\)/);
  });
});
