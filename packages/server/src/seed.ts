import { createHash } from 'node:crypto';
import type { Role } from '@colloquy/core';
import type { BodyRenderer } from './render.js';
import type { Store } from './store/index.js';

/** The thread key of the demo article served at `/`. */
export const DEMO_THREAD = '/articles/ten-minutes-outside';

interface SeedComment {
  key: string;
  author: string;
  role?: Role;
  body: string;
  replyTo?: string;
}

const AUTHORS: Record<string, Role> = { Marisol: 'reader', 'Dr. Okafor': 'staff', Tomasz: 'reader', Priya: 'mentor', 'June W.': 'reader' };

const COMMENTS: SeedComment[] = [
  {
    key: 'walk-1',
    author: 'Marisol',
    body: 'I started doing a loop around the block after lunch three weeks ago. The biggest change for me is not energy, it is that I stopped reaching for a second coffee at 3 pm.',
  },
  {
    key: 'walk-2',
    author: 'Dr. Okafor',
    replyTo: 'walk-1',
    body: 'That matches what many people notice. A short walk after a meal also **helps the body use glucose**, so the mid-afternoon dip is often smaller.',
  },
  {
    key: 'walk-3',
    author: 'Tomasz',
    replyTo: 'walk-2',
    body: 'Is there a minimum that still counts? Some days I only manage five minutes between meetings.',
  },
  {
    key: 'walk-4',
    author: 'Dr. Okafor',
    replyTo: 'walk-3',
    body: 'Five minutes counts. Regular beats long: a few short walks a day add up, and they are easier to keep doing.',
  },
  {
    key: 'walk-5',
    author: 'Priya',
    body: 'For anyone caring for a relative at home: we walk to the corner and back together, slowly. It has become the calmest part of our day.\n\nTips that helped us:\n- same time every day\n- comfortable shoes by the door\n- no phone, just talking',
  },
  {
    key: 'walk-6',
    author: 'June W.',
    replyTo: 'walk-5',
    body: 'Thank you for this. My dad uses a walker and I had not thought of making it a shared routine rather than "exercise".',
  },
  {
    key: 'walk-7',
    author: 'Tomasz',
    body: 'Rainy-day version: I walk the stairs in our building, two floors up and down. Not as pleasant as a park, but it _does_ clear my head.',
  },
];

/**
 * Seeds the demo article's thread. Safe to run on every start: each seed comment carries an
 * idempotency key, so a second run finds the first run's comments instead of adding more.
 */
export async function seedDemo(store: Store, renderer: BodyRenderer): Promise<{ created: number }> {
  const ids = new Map<string, string>();
  const authors = new Map<string, string>();
  for (const [name, role] of Object.entries(AUTHORS)) {
    const identity = await store.upsertSubjectIdentity({ subject: `demo:${name}`, name, role });
    authors.set(name, identity.id);
  }
  let created = 0;
  for (const seed of COMMENTS) {
    const parentId = seed.replyTo ? (ids.get(seed.replyTo) ?? null) : null;
    const { comment, replayed } = await store.createComment({
      thread: DEMO_THREAD,
      parentId,
      body: seed.body,
      html: await renderer.render(seed.body),
      authorId: authors.get(seed.author)!,
      status: 'visible',
      idempotencyKey: `demo-seed:${seed.key}`,
      requestHash: createHash('sha256').update(JSON.stringify([DEMO_THREAD, seed.replyTo ?? null, seed.body])).digest('hex'),
      maxDepth: 5,
    });
    ids.set(seed.key, comment.id);
    if (!replayed) created++;
  }
  return { created };
}
