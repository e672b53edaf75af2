import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { signJwt } from './http-test-support.js';
import { DATABASES, startTestServer, type TestServer } from './test-support.js';
import { reporterNetwork, trustWeight, type TrustParams } from './trust.js';

const SECRET = 'report-trust-secret-report-trust-secret';
const HOUR = 3_600_000;
const enc = encodeURIComponent;
type Item = { comment: { id: string; status: string }; reports: Array<{ weight: number }>; reportWeight: number; hiddenBy: string | null };

test('the weight formula: fresh readers 0, established 1, seasoned 2, granted roles their weight; 0 and 0 make every reader established', () => {
  const params: TrustParams = { minAgeHours: 72, minComments: 2, roleWeights: { reader: 1, mentor: 2, moderator: 2, staff: 2 } };
  const now = Date.parse('2026-12-01T00:00:00Z');
  const reader = (hours: number, cleanComments: number, kind: 'pseudonymous' | 'jwt' = 'pseudonymous') =>
    trustWeight({ kind, role: 'reader', createdAt: now - hours * HOUR, cleanComments }, params, now);
  assert.equal(reader(0, 0), 0);
  assert.equal(reader(71, 5), 0, 'old enough in comments, too young');
  assert.equal(reader(500, 1), 0, 'old enough, too few clean comments');
  assert.equal(reader(72, 2), 1);
  assert.equal(reader(30 * 24, 20), 2, 'seasoned: 30 days and 20 clean comments');
  assert.equal(reader(30 * 24, 19), 1);
  assert.equal(reader(0, 0, 'jwt'), 1, 'a host-site member is established at once');
  assert.equal(trustWeight({ kind: 'jwt', role: 'staff', createdAt: now, cleanComments: 0 }, params, now), 2);
  assert.equal(trustWeight({ kind: 'pseudonymous', role: 'reader', createdAt: now, cleanComments: 0 }, { ...params, minAgeHours: 0, minComments: 0 }, now), 1);
  assert.equal(reporterNetwork('203.0.113.77'), '203.0.113.0/24');
  assert.equal(reporterNetwork('::ffff:203.0.113.77'), '203.0.113.0/24');
  assert.equal(reporterNetwork('2001:db8:aa:bbcc:1:2:3:4'), '2001:db8:aa:bb00::/56');
  assert.equal(reporterNetwork('not an address'), null);
});

for (const { name: driver, make } of DATABASES) {
  describe(`report trust over HTTP on ${driver}`, () => {
    const servers: TestServer[] = [];
    after(async () => {
      for (const t of servers) await t.stop();
    });

    /** A real server behind one trusted proxy hop (so tests choose each client's address), on a clock the test moves. */
    async function start() {
      let time = Date.parse('2026-12-01T10:00:00.000Z');
      const t = await startTestServer({ jwtSecret: SECRET, trustProxy: 1, reportThreshold: 3, now: () => time }, make());
      servers.push(t);
      const jwt = (claims: Record<string, unknown>) => signJwt(claims, { secret: SECRET, at: time });
      const from = (address: string) => ({ 'x-forwarded-for': address });
      const identity = async (name: string, address: string) => {
        const r = await t.call('POST', '/identities', { body: { name }, headers: from(address) });
        assert.equal(r.status, 201, r.text);
        return { token: r.json.token as string, id: r.json.identity.id as string, address };
      };
      const post = async (token: string, thread: string, body: string, address = '192.0.2.1') => {
        const r = await t.call('POST', '/comments', { token, body: { thread, body }, headers: from(address) });
        assert.equal(r.status, 201, r.text);
        return r.json.comment as { id: string };
      };
      const report = async (who: { token: string; address: string }, id: string) => {
        const r = await t.call('POST', `/comments/${id}/reports`, { token: who.token, body: { reason: 'harassment' }, headers: from(who.address) });
        assert.equal(r.status, 201, r.text);
      };
      /** Readers made now with two published comments each; established once the clock passes 72 hours. */
      const readers = async (prefix: string, addresses: string[]) => {
        const made = [];
        for (const [i, address] of addresses.entries()) {
          const r = await identity(`${prefix}${i}`, address);
          for (const n of [1, 2]) await post(r.token, '/elsewhere', `${prefix}${i} says something kind, ${n}`, address);
          made.push(r);
        }
        return made;
      };
      const advanceHours = (hours: number) => void (time += hours * HOUR);
      const moderator = () => jwt({ sub: 'mod', name: 'Morgan', role: 'moderator' });
      const item = async (id: string): Promise<Item | undefined> =>
        ((await t.call('GET', '/moderation/queue?status=reported', { token: await moderator() })).json.items as Item[]).find((i) => i.comment.id === id);
      const visible = async (thread: string) => (await t.call('GET', `/counts?thread=${enc(thread)}`)).json.counts[thread] as number;
      return { t, jwt, identity, post, report, readers, advanceHours, moderator, item, visible };
    }

    test('30 fresh identities from one address report a comment: 30 reports queued, 0 hidden', async () => {
      const s = await start();
      const author = await s.identity('Author', '192.0.2.10');
      const c = await s.post(author.token, '/one-address', 'an unpopular but fair opinion');
      for (let i = 0; i < 30; i++) await s.report(await s.identity(`Sock${i}`, '198.51.100.23'), c.id);
      assert.equal(await s.visible('/one-address'), 1, '30 reports from one address hid the comment');
      const queued = await s.item(c.id);
      assert.equal(queued?.reports.length, 30, 'every report reaches the moderation queue');
      assert.deepEqual([queued?.comment.status, queued?.reportWeight, queued?.hiddenBy], ['visible', 0, null]);
      assert.ok(queued?.reports.every((r) => r.weight === 0));
    });

    test('50 fresh identities from 50 networks report a comment: 50 reports queued, 0 hidden', async () => {
      const s = await start();
      const author = await s.identity('Author', '192.0.2.10');
      const c = await s.post(author.token, '/many-networks', 'another fair opinion');
      for (let i = 0; i < 50; i++) {
        const address = `10.7.${i}.9`;
        await s.report(await s.identity(`Fresh${i}`, address), c.id);
      }
      assert.equal(await s.visible('/many-networks'), 1, '50 fresh reporters on 50 /24s hid the comment');
      const queued = await s.item(c.id);
      assert.equal(queued?.reports.length, 50);
      assert.equal(queued?.reportWeight, 0);
    });

    test('3 established readers on 3 networks hide an abusive comment; 2 on one /24 plus 1 elsewhere count as 2 and do not', async () => {
      const s = await start();
      const [a, b, c] = await s.readers('Est', ['10.1.1.5', '10.2.2.5', '10.3.3.5']);
      const [d, e, f] = await s.readers('Neighbour', ['10.9.9.5', '10.9.9.77', '10.4.4.5']);
      s.advanceHours(73);
      const author = await s.identity('Troll', '192.0.2.66');
      const abusive = await s.post(author.token, '/abuse', 'you are all worthless');
      const other = await s.post(author.token, '/abuse-2', 'and you too');
      for (const r of [a!, b!]) await s.report(r, abusive.id);
      assert.equal(await s.visible('/abuse'), 1, '2 established reports (weight 2 of 3) leave it up');
      await s.report(c!, abusive.id);
      assert.equal(await s.visible('/abuse'), 0, '3 established reports from 3 networks hide it');
      const hidden = await s.item(abusive.id);
      assert.deepEqual([hidden?.comment.status, hidden?.hiddenBy, hidden?.reportWeight], ['hidden', 'reports', 3]);

      for (const r of [d!, e!, f!]) await s.report(r, other.id);
      assert.equal(await s.visible('/abuse-2'), 1, '3 established reports, 2 of them from one /24, count as 2: not hidden');
      const counted = await s.item(other.id);
      assert.deepEqual([counted?.reports.length, counted?.reportWeight], [3, 2]);
    });

    test('a staff or moderator comment is never auto-hidden by 5 established reports; the reports reach the queue', async () => {
      const s = await start();
      const reporters = await s.readers('Est', ['10.1.1.5', '10.2.2.5', '10.3.3.5', '10.4.4.5', '10.5.5.5']);
      s.advanceHours(73);
      const staff = await s.jwt({ sub: 'staff-1', name: 'Sam', role: 'staff' });
      const notice = await s.post(staff, '/notice', 'Comments close on Friday.');
      const modNote = await s.post(await s.moderator(), '/notice-2', 'Please stay on topic.');
      for (const r of reporters) {
        await s.report(r, notice.id);
        await s.report(r, modNote.id);
      }
      assert.equal(await s.visible('/notice'), 1, 'staff comment hidden by 5 reader reports');
      assert.equal(await s.visible('/notice-2'), 1, 'moderator comment hidden by 5 reader reports');
      const queued = await s.item(notice.id);
      assert.deepEqual([queued?.reports.length, queued?.reportWeight, queued?.comment.status], [5, 5, 'visible']);
    });

    test('after a moderator restores a comment, its 3 earlier reporters cannot hide it again; 3 new established reporters can', async () => {
      const s = await start();
      const first = await s.readers('First', ['10.1.1.5', '10.2.2.5', '10.3.3.5']);
      const second = await s.readers('Second', ['10.4.4.5', '10.5.5.5', '10.6.6.5']);
      s.advanceHours(73);
      const author = await s.identity('Author', '192.0.2.10');
      const c = await s.post(author.token, '/restored', 'a post some readers dislike');
      for (const r of first) await s.report(r, c.id);
      assert.equal(await s.visible('/restored'), 0, 'first round hides it');
      const restore = await s.t.call('POST', `/moderation/comments/${c.id}`, { token: await s.moderator(), body: { action: 'restore', reason: 'within the rules' } });
      assert.equal(restore.json.comment.status, 'visible');
      for (const r of first) await s.report(r, c.id);
      assert.equal(await s.visible('/restored'), 1, 'the same 3 reporters reported again and hid it');
      const queued = await s.item(c.id);
      assert.deepEqual([queued?.reports.length, queued?.reportWeight], [3, 0], 'their reports are queued and weigh nothing');
      for (const r of second.slice(0, 2)) await s.report(r, c.id);
      assert.equal(await s.visible('/restored'), 1, '3 old + 2 new reporters: weight 2 of 3');
      await s.report(second[2]!, c.id);
      assert.equal(await s.visible('/restored'), 0, '3 new established reporters hide it');
    });

    test('host-site members count at once; a pseudonymous reader whose comment a moderator hid is not established', async () => {
      const s = await start();
      const [tainted] = await s.readers('Tainted', ['10.8.8.5']);
      const author = await s.identity('Author', '192.0.2.10');
      const c = await s.post(author.token, '/members', 'a members-only spat');
      s.advanceHours(73);
      const mine = ((await s.t.call('GET', `/comments?thread=${enc('/elsewhere')}`)).json.comments as Array<{ id: string }>)[0]!;
      await s.t.call('POST', `/moderation/comments/${mine.id}`, { token: await s.moderator(), body: { action: 'hide' } });
      await s.report(tainted!, c.id);
      assert.equal((await s.item(c.id))?.reportWeight, 0, 'one of its two comments was hidden: weight 0');
      for (const [i, address] of ['10.1.1.5', '10.2.2.5'].entries()) {
        await s.report({ token: await s.jwt({ sub: `member-${i}`, name: `Member ${i}` }), address }, c.id);
      }
      assert.equal(await s.visible('/members'), 1);
      await s.report({ token: await s.jwt({ sub: 'member-2', name: 'Member 2' }), address: '10.3.3.5' }, c.id);
      assert.equal(await s.visible('/members'), 0, '3 host-site members from 3 networks hide it');
    });
  });
}
