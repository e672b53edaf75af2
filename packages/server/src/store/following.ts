import { ColloquyError, decodeCursor, encodeCursor } from '@colloquy/core';
import { sql } from 'kysely';
import type { ActivityItem, FollowedThread, UnreadCounts } from '@colloquy/protocol';
import { iso, newId, type StoreContext } from './records.js';
import type { NotifyMode } from './schema.js';
import { execute, first, rows, type SqlRunner } from './sql.js';

/** Why a reader is told of a comment: it answers them, or it is in a thread they follow. */
export type NotificationReason = ActivityItem['reason'];

/**
 * Marks a notification that no message will carry (the reader has no confirmed address, or
 * turned mail off): the activity view lists it, the notify step never takes it.
 */
export const NOT_MAILED = 'none';

export type { ActivityItem, FollowedThread, UnreadCounts };

/** Whom a visible comment may notify and how they want mail (no row: no address). */
export interface Recipient {
  identityId: string;
  reason: NotificationReason;
  email: { confirmed: boolean; notify: NotifyMode; lastNotifiedAt: number | null } | null;
}

const EXCERPT = 200;
const CHUNK = 500;

const chunks = <T>(list: readonly T[], size = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

const excerptOf = (body: string) => {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT ? flat : `${flat.slice(0, EXCERPT - 1)}…`;
};

/** The comment in place: the page the thread was seen on, with the comment's fragment. */
const inPlace = (url: string | null, commentId: string) => (url ? `${url.split('#')[0]}#comment-${encodeURIComponent(commentId)}` : null);

const ACTIVITY_CURSOR = 'activity';
const decodeActivityCursor = (cursor: string) =>
  decodeCursor(cursor, ACTIVITY_CURSOR, ['int', 'text'], 'The cursor is not one this server gave out for the activity list.') as [number, string];

/** The two standings a reader can take in a thread; each is capped on its own. */
type Standing = 'following' | 'muted';

const threadsIn = async ({ q }: StoreContext, runner: SqlRunner, identityId: string, state: Standing): Promise<number> =>
  Number(
    (await first(runner, q.selectFrom('thread_subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).where('identity_id', '=', identityId).where('state', '=', state)))
      ?.n ?? 0,
  );

/**
 * PostgreSQL's one-statement post follows the thread only where this holds of its author `i`:
 * they follow fewer than `max` threads (no condition without `max`).
 */
export const roomToFollow = (max: number | undefined) =>
  max === undefined ? sql`` : sql` AND (SELECT count(*) FROM thread_subscriptions s WHERE s.identity_id = i.id AND s.state = 'following') < ${max}::bigint`;

/**
 * Writes the reader's standing in a thread (`write`), refusing (`follow_limit`) one more thread
 * in `state` to a reader who already has `max` there; a thread already in that state passes.
 * Without `max` it just writes. Touching the reader's row first makes two requests of one reader
 * take turns (PostgreSQL locks the row; SQLite has one writer), so the cap holds under races.
 */
export async function writeWithinCap(
  context: StoreContext,
  input: { identityId: string; thread: string; state: Standing; max: number | undefined },
  write: (runner: SqlRunner) => Promise<unknown>,
): Promise<void> {
  const { db, q } = context;
  const { identityId, thread, state, max } = input;
  if (max === undefined) return void (await write(db));
  await db.transaction(async (tx) => {
    await execute(tx, q.updateTable('identities').set((eb) => ({ follow_on_post: eb.ref('follow_on_post') })).where('id', '=', identityId));
    const current = await first(tx, q.selectFrom('thread_subscriptions').select('state').where('identity_id', '=', identityId).where('thread', '=', thread));
    if (current?.state !== state && (await threadsIn(context, tx, identityId, state)) >= max) {
      throw new ColloquyError(
        'follow_limit',
        state === 'following'
          ? `You already follow ${max} conversations, the most one reader may: unfollow one first.`
          : `You have already muted ${max} conversations, the most one reader may: unmute one first.`,
      );
    }
    await write(tx);
  });
}

/**
 * Following threads (auto-follow on posting unless turned off), the notifications a visible
 * comment writes for its recipients, and the reader's activity view over those notifications.
 */
export function followingStore(context: StoreContext) {
  const { db, q, now } = context;
  const unreadCounts = async (runner: SqlRunner, identityId: string): Promise<UnreadCounts> => {
    const found = await rows(
      runner,
      q
        .selectFrom('notifications as n')
        .innerJoin('comments as c', 'c.id', 'n.comment_id')
        .select(['n.reason', (eb) => eb.fn.countAll<number>().as('count')])
        .where('n.recipient_id', '=', identityId)
        .where('n.read_at', 'is', null)
        .where('c.status', '=', 'visible')
        .groupBy('n.reason'),
    );
    const counts: UnreadCounts = { total: 0, reply: 0, following: 0 };
    for (const row of found) {
      counts[row.reason] = Number(row.count);
      counts.total += Number(row.count);
    }
    return counts;
  };

  return {
    async followOnPost(identityId: string): Promise<boolean> {
      const row = await first(db, q.selectFrom('identities').select('follow_on_post').where('id', '=', identityId));
      return row ? Number(row.follow_on_post) === 1 : true;
    },

    async setFollowOnPost(identityId: string, follow: boolean): Promise<void> {
      await execute(db, q.updateTable('identities').set({ follow_on_post: follow ? 1 : 0 }).where('id', '=', identityId));
    },

    /**
     * Follows a thread as its author posts in it, inside the comment's transaction, unless the
     * author turned that off. A thread they muted stays muted. A reader who follows `maxFollows`
     * threads already follows nothing more this way, and the post goes on: the count is read
     * without taking turns, so posts racing each other may pass the cap by the few that raced.
     */
    async followOnPosting(tx: SqlRunner, identityId: string, thread: string, maxFollows?: number): Promise<void> {
      const row = await first(tx, q.selectFrom('identities').select('follow_on_post').where('id', '=', identityId));
      if (!row || Number(row.follow_on_post) !== 1) return;
      if (maxFollows !== undefined) {
        const standing = await first(tx, q.selectFrom('thread_subscriptions').select('state').where('identity_id', '=', identityId).where('thread', '=', thread));
        if (standing || (await threadsIn(context, tx, identityId, 'following')) >= maxFollows) return;
      }
      await execute(
        tx,
        q
          .insertInto('thread_subscriptions')
          .values({ identity_id: identityId, thread, state: 'following', created_at: now() })
          .onConflict((oc) => oc.columns(['identity_id', 'thread']).doNothing()),
      );
    },

    /**
     * Follows (replacing a mute: following is asking to hear) or stops following a thread. With
     * `maxFollows`, following one more thread than that is `follow_limit`; stopping always works.
     */
    async setFollowing(identityId: string, thread: string, following: boolean, maxFollows?: number): Promise<void> {
      if (following) {
        await writeWithinCap(context, { identityId, thread, state: 'following', max: maxFollows }, (runner) =>
          execute(
            runner,
            q
              .insertInto('thread_subscriptions')
              .values({ identity_id: identityId, thread, state: 'following', created_at: now() })
              .onConflict((oc) => oc.columns(['identity_id', 'thread']).doUpdateSet({ state: 'following', created_at: now() }).where('thread_subscriptions.state', '=', 'muted')),
          ),
        );
      } else {
        await execute(db, q.deleteFrom('thread_subscriptions').where('identity_id', '=', identityId).where('thread', '=', thread).where('state', '=', 'following'));
      }
    },

    /** The threads a reader follows, most recently followed first; only `thread` when given (is it followed?). */
    async followedThreads(identityId: string, options: { thread?: string; limit?: number } = {}): Promise<FollowedThread[]> {
      let query = q
        .selectFrom('thread_subscriptions as s')
        .leftJoin('threads as t', 't.key', 's.thread')
        .select(['s.thread', 's.created_at', 't.title', 't.url'])
        .where('s.identity_id', '=', identityId)
        .where('s.state', '=', 'following');
      if (options.thread !== undefined) query = query.where('s.thread', '=', options.thread);
      const found = await rows(
        db,
        query
          .orderBy('s.created_at', 'desc')
          .orderBy('s.thread')
          .limit(options.limit ?? 200),
      );
      return found.map((r) => ({ thread: r.thread, title: r.title ?? null, url: r.url ?? null, since: iso(Number(r.created_at)) }));
    },

    async isFollowing(identityId: string, thread: string): Promise<boolean> {
      return !!(await first(
        db,
        q.selectFrom('thread_subscriptions').select('thread').where('identity_id', '=', identityId).where('thread', '=', thread).where('state', '=', 'following'),
      ));
    },

    /**
     * Whom a visible comment notifies: the followers of its thread, and the author of the
     * comment it answers (unless they muted the thread: a reply to them is then nothing). One
     * entry per reader, `reply` winning over `following`; never the comment's own author.
     */
    async recipientsOf(input: { thread: string; authorId: string; repliedToAuthor: string | null }): Promise<Recipient[]> {
      const followers = await rows(
        db,
        q.selectFrom('thread_subscriptions').select(['identity_id', 'state']).where('thread', '=', input.thread),
      );
      const reasons = new Map<string, NotificationReason>();
      let replyMuted = false;
      for (const f of followers) {
        if (f.state === 'following') reasons.set(f.identity_id, 'following');
        else if (f.identity_id === input.repliedToAuthor) replyMuted = true;
      }
      if (input.repliedToAuthor && !replyMuted) reasons.set(input.repliedToAuthor, 'reply');
      reasons.delete(input.authorId);
      const ids = [...reasons.keys()];
      const emails = new Map<string, Recipient['email']>();
      for (const part of chunks(ids)) {
        const found = await rows(
          db,
          q.selectFrom('reader_emails').select(['identity_id', 'confirmed_at', 'notify', 'last_notified_at']).where('identity_id', 'in', part),
        );
        for (const e of found) {
          emails.set(e.identity_id, {
            confirmed: e.confirmed_at !== null,
            notify: e.notify,
            lastNotifiedAt: e.last_notified_at === null ? null : Number(e.last_notified_at),
          });
        }
      }
      return ids.map((identityId) => ({ identityId, reason: reasons.get(identityId)!, email: emails.get(identityId) ?? null }));
    },

    /**
     * Records one comment's notifications inside the caller's transaction, in batches; those
     * whose reader gets no mail are marked `NOT_MAILED`. A second run adds nothing. They carry
     * the comment's time (`at`), so lists and messages keep the order comments were written in
     * whatever order their jobs ran.
     */
    async addNotifications(tx: SqlRunner, input: { commentId: string; thread: string; at: number; recipients: ReadonlyArray<{ identityId: string; reason: NotificationReason; mailed: boolean }> }): Promise<void> {
      const at = input.at;
      for (const part of chunks(input.recipients)) {
        await execute(
          tx,
          q
            .insertInto('notifications')
            .values(
              part.map((r) => ({
                id: newId('n_', at),
                recipient_id: r.identityId,
                comment_id: input.commentId,
                thread: input.thread,
                reason: r.reason,
                outbox_id: r.mailed ? null : NOT_MAILED,
                read_at: null,
                created_at: at,
              })),
            )
            .onConflict((oc) => oc.doNothing()),
        );
      }
    },

    /** The reader's activity, newest first, visible comments only, with unread counts. */
    async activity(identityId: string, input: { cursor: string | null; limit: number }): Promise<{ items: ActivityItem[]; nextCursor: string | null; unread: UnreadCounts }> {
      let query = q
        .selectFrom('notifications as n')
        .innerJoin('comments as c', 'c.id', 'n.comment_id')
        .leftJoin('identities as i', 'i.id', 'c.author_id')
        .leftJoin('threads as t', 't.key', 'n.thread')
        .select(['n.id', 'n.reason', 'n.comment_id', 'n.thread', 'n.read_at', 'n.created_at', 'c.body', 'i.name', 't.title', 't.url'])
        .where('n.recipient_id', '=', identityId)
        .where('c.status', '=', 'visible');
      if (input.cursor) {
        const [at, id] = decodeActivityCursor(input.cursor);
        query = query.where((eb) => eb.or([eb('n.created_at', '<', at), eb.and([eb('n.created_at', '=', at), eb('n.id', '<', id)])]));
      }
      const found = await rows(db, query.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(input.limit + 1));
      const page = found.slice(0, input.limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
          id: r.id,
          reason: r.reason,
          commentId: r.comment_id,
          thread: r.thread,
          threadTitle: r.title ?? null,
          url: inPlace(r.url ?? null, r.comment_id),
          authorName: r.name ?? null,
          excerpt: excerptOf(r.body),
          createdAt: iso(Number(r.created_at)),
          read: r.read_at !== null,
        })),
        nextCursor: found.length > input.limit && last ? encodeCursor(ACTIVITY_CURSOR, [Number(last.created_at), last.id]) : null,
        unread: await unreadCounts(db, identityId),
      };
    },

    /** Marks the given items (or all) read; returns the unread counts after. */
    async markActivityRead(identityId: string, ids: readonly string[] | null): Promise<UnreadCounts> {
      let update = q.updateTable('notifications').set({ read_at: now() }).where('recipient_id', '=', identityId).where('read_at', 'is', null);
      if (ids) update = update.where('id', 'in', [...ids]);
      await execute(db, update);
      return unreadCounts(db, identityId);
    },
  };
}

export type FollowingStore = ReturnType<typeof followingStore>;
