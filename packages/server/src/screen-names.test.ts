import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, signJwt } from './http-test-support.js';
import { claimedRole, confusableFold, createScreenNamePolicy, mixesLookalikeScripts, nameSkeleton } from './screen-names.js';
import { DATABASES, startTestServer, type TestServer } from './test-support.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

describe('confusable skeletons', () => {
  test('real confusable pairs fold to the same text', () => {
    const pairs: Array<[string, string]> = [
      ['p\u0430ypal', 'paypal'], // Cyrillic а (U+0430)
      ['\u041Ekafor', 'Okafor'], // Cyrillic О (U+041E)
      ['\u039Fkafor', 'Okafor'], // Greek Ο (U+039F)
      ['0kafor', 'Okafor'], // digit zero
      ['Ian', 'lan'], // capital I and small l
      ['rnia', 'mia'], // "rn" reads as "m"
      ['\uFF21\uFF44\uFF4D\uFF49\uFF4E', 'admin'], // full-width letters
      ['\u{1D5AC}ia', 'Mia'], // mathematical sans-serif M
      ['Ok\u0430f\u03BFr', 'okafor'], // Cyrillic а and Greek ο together
    ];
    for (const [a, b] of pairs) assert.equal(confusableFold(a), confusableFold(b), `${a} / ${b}`);
    assert.notEqual(confusableFold('Okafor'), confusableFold('Okoro'));
  });

  test('the name skeleton drops case, punctuation, spaces, marks and titles', () => {
    const okafor = nameSkeleton('Dr Okafor');
    for (const name of ['Dr. Okafor', 'DR OKAFOR', 'Okafor', 'Dr. 0kafor', 'Prof. Ökafor', 'dr_okafor', 'Dr \u041Ekafor', 'O.K.A.F.O.R']) {
      assert.equal(nameSkeleton(name), okafor, name);
    }
    assert.notEqual(nameSkeleton('Dr Okoro'), okafor);
    assert.equal(nameSkeleton('Dr.'), '');
  });

  test('role words count as words, also folded, camel-cased or in Spanish', () => {
    for (const [name, role] of [
      ['Mia (moderator)', 'moderator'],
      ['Admin', 'admin'],
      ['\u0410dmin', 'admin'], // corpus 1426: Cyrillic А
      ['\uFF21\uFF44\uFF4D\uFF49\uFF4E', 'admin'], // corpus 1427: full-width
      ['Moderator \u2714\uFE0F', 'moderator'], // corpus 1418
      ['Staff', 'staff'],
      ['Colloquy Team', 'colloquy'],
      ['TeamLead', 'team'],
      ['admin2024', 'admin'],
      ['la moderadora', 'moderadora'],
      ['Equipo Colloquy', 'equipo'],
      ['S.T.A.F.F', null],
      ['Mod', 'mod'],
      ['Official news', 'official'],
    ] as const) {
      assert.equal(claimedRole(name), role, name);
    }
    for (const name of ['Model Citizen', 'Steamboat Willie', 'Modesto', 'Reply', 'Ada Lovelace', 'Adminta']) assert.equal(claimedRole(name), null, name);
  });

  test('a word mixing look-alike scripts is spotted; separate words in separate scripts are not', () => {
    assert.equal(mixesLookalikeScripts('\u041Ekafor'), true);
    assert.equal(mixesLookalikeScripts('p\u0430ypal fan'), true);
    assert.equal(mixesLookalikeScripts('\u0391lpha'), true); // Greek Α
    for (const name of ['Okafor', '\u0418\u0432\u0430\u043D \u041F\u0435\u0442\u0440\u043E\u0432', 'Juan \u0418\u0432\u0430\u043D\u043E\u0432', '\u5C71\u7530 Taro', 'José Müller', '\u0391\u03BB\u03AD\u03BE\u03B7\u03C2']) {
      assert.equal(mixesLookalikeScripts(name), false, name);
    }
  });

  test('the badge holders are read once within the cache time, and again after a new holder is seen', async () => {
    let reads = 0;
    let holders = [{ id: 'i_staff', name: 'Dr Okafor' }];
    let clock = 0;
    const policy = createScreenNamePolicy({ listBadgeHolderNames: async () => (reads++, holders) }, () => clock);
    await assert.rejects(policy.check('Dr. 0kafor', null), { code: 'name_not_allowed' });
    await policy.check('Dr Okafor', 'i_staff');
    await policy.check('Grace', null);
    assert.equal(reads, 1);
    holders = [...holders, { id: 'i_mod', name: 'Morgan' }];
    policy.noteBadgeHolder({ id: 'i_staff', name: 'Dr Okafor', role: 'staff' });
    await policy.check('Morgen', null);
    assert.equal(reads, 1, 'a known holder does not clear the cache');
    policy.noteBadgeHolder({ id: 'i_mod', name: 'Morgan', role: 'moderator' });
    await assert.rejects(policy.check('M\u043Ergan', null), { code: 'name_not_allowed' });
    await assert.rejects(policy.check('rnorgan', null), { code: 'name_not_allowed' });
    assert.equal(reads, 2);
    clock += 30_000;
    await policy.check('Grace', null);
    assert.equal(reads, 3);
  });
});

for (const { name: driver, make } of DATABASES) {
  describe(`screen names that imitate staff over HTTP on ${driver}`, () => {
    let t: TestServer;
    let staffToken: string;

    before(async () => {
      t = await startTestServer({ jwtSecret: SECRET }, make());
      staffToken = await signJwt({ sub: 'staff-1', name: 'Dr Okafor', role: 'staff' }, { secret: SECRET });
      // The staff member's first request makes the identity.
      const me = await t.call('GET', '/identities/me', { token: staffToken });
      assert.equal(me.status, 200);
      const mentor = await t.call('GET', '/identities/me', { token: await signJwt({ sub: 'mentor-1', name: 'Mia Chen', role: 'mentor' }, { secret: SECRET }) });
      assert.equal(mentor.status, 200);
    });
    after(() => t.stop());

    const create = (name: string) => t.call('POST', '/identities', { body: { name } });

    test('a reader cannot take a role word, in any disguise', async () => {
      for (const name of ['Mia (moderator)', 'Admin', '\u0410dmin', '\uFF21\uFF44\uFF4D\uFF49\uFF4E', 'Staff', 'Colloquy Team', 'El moderador', 'Moderator \u2714\uFE0F']) {
        const answer = await create(name);
        assertError(answer, 400, 'name_not_allowed');
        assert.match(answer.json.error.message, /role/, name);
      }
    });

    test('a reader cannot take a name that looks like a badge holder’s', async () => {
      for (const name of ['Dr. Okafor', 'DR OKAFOR', 'Okafor', 'Dr. 0kafor', 'Prof Okafor', 'mia chen', 'Mia_Chen']) {
        const answer = await create(name);
        assertError(answer, 400, 'name_not_allowed');
        assert.match(answer.json.error.message, /moderator or member of staff/, name);
      }
      const mixed = await create('Dr \u041Ekafor');
      assertError(mixed, 400, 'name_not_allowed');
      assert.match(mixed.json.error.message, /alphabets/);
    });

    test('ordinary names, and names in one other alphabet, are kept as typed', async () => {
      for (const name of ['Dr Okoro', 'Ada Lovelace', 'Model Citizen', '\u0418\u0432\u0430\u043D \u041F\u0435\u0442\u0440\u043E\u0432', 'José Müller', 'Reply']) {
        const answer = await create(name);
        assert.equal(answer.status, 201, `${name}: ${JSON.stringify(answer.json)}`);
        assert.equal(answer.json.identity.name, name);
      }
    });

    test('naming a nameless identity follows the same rules; a refused name leaves it nameless', async () => {
      const nameless = await t.call('POST', '/identities', { body: {} });
      const token = nameless.json.token as string;
      assertError(await t.call('PATCH', '/identities/me', { token, body: { name: 'Dr. Okafor' } }), 400, 'name_not_allowed');
      assertError(await t.call('PATCH', '/identities/me', { token, body: { name: 'admin' } }), 400, 'name_not_allowed');
      assert.equal((await t.call('GET', '/identities/me', { token })).json.identity.name, null);
      const named = await t.call('PATCH', '/identities/me', { token, body: { name: 'Grace' } });
      assert.equal(named.status, 200);
      assert.equal(named.json.identity.name, 'Grace');
    });

    test('a badge holder who arrives later protects its name at once', async () => {
      const before = await create('Rosa Parkes');
      assert.equal(before.status, 201);
      const moderator = await signJwt({ sub: 'mod-9', name: 'Rosa Parkes', role: 'moderator' }, { secret: SECRET });
      assert.equal((await t.call('GET', '/identities/me', { token: moderator })).status, 200);
      assertError(await create('R0sa Parkes'), 400, 'name_not_allowed');
    });

    test('the site’s own tokens keep the names and roles the site gives', async () => {
      const token = await signJwt({ sub: 'staff-2', name: 'Colloquy Team', role: 'staff' }, { secret: SECRET });
      const me = await t.call('GET', '/identities/me', { token });
      assert.equal(me.status, 200);
      assert.equal(me.json.identity.name, 'Colloquy Team');
    });
  });
}
