import { parseReasons, type CommentRecord, type IdentityRecord, type Store } from './store/index.js';
import type { Row, SqlRunner } from './store/sql.js';

/** What happens to an erased reader's comments: `remove` their text, or `anonymise` the author and keep the text. */
export type ErasureMode = 'remove' | 'anonymise';

/** The one identity anonymised and placeholder comments point to: no name, no token, no subject. */
export const ERASED_IDENTITY_ID = 'i_erased';

export const READER_EXPORT_FORMAT = 'colloquy-reader-export';
export const READER_EXPORT_VERSION = 1;

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

async function tableExists(db: SqlRunner & { dialect: 'sqlite' | 'postgres' }, name: string): Promise<boolean> {
  const rows =
    db.dialect === 'sqlite'
      ? await db.all(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`, [name])
      : await db.all(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`, [name]);
  return rows.length > 0;
}

/**
 * Everything stored about a reader's identity, as one JSON document: the identity (never its
 * token, which is kept only as a hash), every comment they wrote in any state (deleted ones
 * have no text left), every report they made, the threads they follow or muted, and when
 * their tokens and sign-in links were made (never a token, code or hash), their e-mail address
 * and its settings, what they were told about, and the helpful marks they gave.
 */
export async function readerExport(store: Store, identity: IdentityRecord, now: () => number = Date.now) {
  const db = store.db;
  const [row] = await db.all(`SELECT * FROM identities WHERE id = ?`, [identity.id]);
  const comments = await db.all(
    `SELECT c.*, m.source AS import_source, m.source_id AS import_source_id FROM comments c LEFT JOIN imported m ON m.comment_id = c.id
     WHERE c.author_id = ? ORDER BY c.created_at ASC, c.id ASC`,
    [identity.id],
  );
  const reports = await db.all(`SELECT * FROM reports WHERE identity_id = ? ORDER BY created_at ASC, comment_id ASC`, [identity.id]);
  const follows = await db.all(`SELECT thread, state, created_at FROM thread_subscriptions WHERE identity_id = ? ORDER BY created_at ASC, thread ASC`, [identity.id]);
  // Only the times: neither a token's hash nor a link's code hash or challenge is even read.
  const signInTokens = await db.all(`SELECT created_at FROM identity_tokens WHERE identity_id = ? ORDER BY created_at ASC`, [identity.id]);
  const links = await db.all(`SELECT created_at, expires_at, used_at FROM sign_in_links WHERE identity_id = ? ORDER BY created_at ASC`, [identity.id]);
  const [mail] = await db.all(`SELECT address, confirmed_at, notify, language, created_at FROM reader_emails WHERE identity_id = ?`, [identity.id]);
  const told = await db.all(`SELECT comment_id, thread, reason, created_at, read_at FROM notifications WHERE recipient_id = ? ORDER BY created_at ASC, comment_id ASC`, [identity.id]);
  const marks = await db.all(
    `SELECT comment_id, thread, weight, network, created_at, unmarked_at FROM helpful_marks WHERE identity_id = ? ORDER BY created_at ASC, comment_id ASC`,
    [identity.id],
  );
  return {
    format: READER_EXPORT_FORMAT,
    version: READER_EXPORT_VERSION,
    exportedAt: new Date(now()).toISOString(),
    identity: {
      id: identity.id,
      kind: String(row?.kind ?? identity.kind),
      name: identity.name,
      role: identity.role,
      banned: identity.banned,
      createdAt: identity.createdAt,
      subject: (row?.subject as string | null | undefined) ?? null,
      email: (row?.email as string | null | undefined) ?? null,
      url: (row?.url as string | null | undefined) ?? null,
    },
    comments: comments.map((c: Row) => ({
      id: c.id as string,
      thread: c.thread as string,
      parentId: (c.parent_id as string | null) ?? null,
      replyToId: (c.reply_to_id as string | null) ?? null,
      body: c.body as string,
      html: c.html as string,
      status: c.status as string,
      spam: Number(c.spam) === 1,
      heldReasons: parseReasons(c.held_reasons),
      createdAt: iso(c.created_at)!,
      editedAt: iso(c.edited_at),
      importedFrom: c.import_source ? { source: c.import_source as string, sourceId: c.import_source_id as string } : null,
    })),
    reports: reports.map((r: Row) => ({
      commentId: r.comment_id as string,
      reason: r.reason as string,
      details: (r.details as string | null) ?? null,
      weight: Number(r.weight),
      network: (r.network as string | null) ?? null,
      createdAt: iso(r.created_at)!,
      resolvedAt: iso(r.resolved_at),
    })),
    following: {
      followOnPost: row ? Number(row.follow_on_post) === 1 : true,
      threads: follows.map((f: Row) => ({ thread: f.thread as string, state: f.state as 'following' | 'muted', since: iso(f.created_at)! })),
    },
    tokens: [
      // A pseudonymous identity's first token was made with it (a host-site identity has none stored).
      ...(row?.token_hash ? [{ kind: 'first' as const, createdAt: identity.createdAt }] : []),
      ...signInTokens.map((t: Row) => ({ kind: 'sign-in' as const, createdAt: iso(t.created_at)! })),
    ],
    signInLinks: links.map((l: Row) => ({ createdAt: iso(l.created_at)!, expiresAt: iso(l.expires_at)!, usedAt: iso(l.used_at) })),
    mail: mail
      ? {
          address: mail.address as string,
          confirmedAt: iso(mail.confirmed_at),
          notify: mail.notify as 'immediate' | 'digest' | 'off',
          language: mail.language as string,
          createdAt: iso(mail.created_at)!,
        }
      : null,
    notifications: told.map((n: Row) => ({
      commentId: n.comment_id as string,
      thread: n.thread as string,
      reason: n.reason as 'reply' | 'following',
      createdAt: iso(n.created_at)!,
      readAt: iso(n.read_at),
    })),
    helpfulMarks: marks.map((m: Row) => ({
      commentId: m.comment_id as string,
      thread: m.thread as string,
      weight: Number(m.weight),
      network: (m.network as string | null) ?? null,
      createdAt: iso(m.created_at)!,
      takenBackAt: iso(m.unmarked_at),
    })),
  };
}

export type ReaderExport = Awaited<ReturnType<typeof readerExport>>;

export interface ErasureResult {
  mode: ErasureMode;
  /** Comments gone entirely: they had no replies (and were not imported). */
  removed: number;
  /** Comments kept as text-less placeholders: replies hang under them, or an import id keeps them. */
  placeholders: number;
  /** Comments kept with their text under no author (`anonymise`). */
  anonymised: number;
  reports: number;
  /** Comments readers could see before, as they are now (or last were), for live events. */
  changed: Array<{ event: 'deleted' | 'edited'; comment: CommentRecord }>;
}

/**
 * Erases an identity in one transaction. Its comments are removed (`remove`: a comment with
 * no replies is deleted outright; one with replies, or one that came from an import, stays as
 * a deleted placeholder under no author, so the replies keep their place and a re-import does
 * not bring it back) or anonymised (`anonymise`: the text stays, the
 * author becomes nobody). Its reports, helpful marks, idempotency keys, rate-limit windows and live-stream
 * tickets go, then the identity itself, so its token no longer works.
 */
export async function eraseIdentity(store: Store, identityId: string, mode: ErasureMode, now: () => number = Date.now): Promise<ErasureResult> {
  const db = store.db;
  const hasTickets = await tableExists(db, 'stream_tickets');
  const hasMail = await tableExists(db, 'reader_emails');
  const hasSignIn = await tableExists(db, 'sign_in_links');
  const own = await db.all<{ id: string; status: string }>(`SELECT id, status FROM comments WHERE author_id = ?`, [identityId]);
  const before = new Map<string, CommentRecord>();
  for (const c of own) {
    if (c.status !== 'visible') continue;
    const record = await store.getComment(c.id);
    if (record) before.set(c.id, record);
  }

  const result = await db.transaction(async (tx) => {
    const counts = { removed: 0, placeholders: 0, anonymised: 0, reports: 0 };
    const kept: string[] = [];
    const gone: string[] = [];
    await tx.run(
      `INSERT INTO identities (id, kind, name, role, created_at) VALUES (?, 'erased', NULL, 'reader', 0) ON CONFLICT DO NOTHING`,
      [ERASED_IDENTITY_ID],
    );
    if (mode === 'anonymise') {
      counts.anonymised = await tx.run(`UPDATE comments SET author_id = ? WHERE author_id = ?`, [ERASED_IDENTITY_ID, identityId]);
    } else {
      // Deepest first: once a reader's reply is gone, their comment above it may have none left.
      const comments = await tx.all<{ id: string; root_id: string }>(
        `SELECT id, root_id FROM comments WHERE author_id = ? ORDER BY depth DESC, id ASC`,
        [identityId],
      );
      const roots = new Set<string>();
      for (const comment of comments) {
        const [replies] = await tx.all<{ n: number }>(`SELECT count(*) AS n FROM comments WHERE parent_id = ?`, [comment.id]);
        // An imported comment stays as a text-less placeholder: its import id then keeps a
        // re-run of the old export from bringing the text back.
        const imported = await tx.all(`SELECT 1 AS one FROM imported WHERE comment_id = ?`, [comment.id]);
        if (Number(replies?.n ?? 0) === 0 && imported.length === 0) {
          await tx.run(`DELETE FROM reports WHERE comment_id = ?`, [comment.id]);
          await tx.run(`DELETE FROM helpful_marks WHERE comment_id = ?`, [comment.id]);
          await tx.run(`DELETE FROM idempotency_keys WHERE comment_id = ?`, [comment.id]);
          await tx.run(`DELETE FROM comments WHERE id = ?`, [comment.id]);
          counts.removed++;
          gone.push(comment.id);
        } else {
          await tx.run(
            `UPDATE comments SET status = 'deleted', body = '', html = '', author_id = ?, hidden_by = NULL, spam = 0, held_reasons = NULL, edited_at = ?
             WHERE id = ?`,
            [ERASED_IDENTITY_ID, now(), comment.id],
          );
          counts.placeholders++;
          kept.push(comment.id);
        }
        if (comment.root_id !== comment.id) roots.add(comment.root_id);
      }
      for (const root of roots) {
        await tx.run(
          `UPDATE comments SET visible_replies =
             (SELECT count(*) FROM comments r WHERE r.root_id = ? AND r.id <> ? AND r.status = 'visible') WHERE id = ?`,
          [root, root, root],
        );
      }
    }
    counts.reports = await tx.run(`DELETE FROM reports WHERE identity_id = ?`, [identityId]);
    await tx.run(`DELETE FROM idempotency_keys WHERE identity_id = ?`, [identityId]);
    // Their helpful marks go with them (the counts and `best` lose them, as a withdrawn mark).
    await tx.run(`DELETE FROM helpful_marks WHERE identity_id = ?`, [identityId]);
    // Rate-limit keys end in `:id:<identity>`; `_` and `%` in the id are escaped for LIKE.
    await tx.run(`DELETE FROM rate_limits WHERE key LIKE ? ESCAPE '\\'`, [`%:id:${identityId.replace(/[%_\\]/g, (c) => `\\${c}`)}`]);
    await tx.run(`DELETE FROM author_notes WHERE author_id = ?`, [identityId]);
    if (hasTickets) await tx.run(`DELETE FROM stream_tickets WHERE identity_id = ?`, [identityId]);
    if (hasMail) {
      // Their address, settings and notifications, and mail waiting to go to them (its text names them).
      await tx.run(`DELETE FROM reader_emails WHERE identity_id = ?`, [identityId]);
      await tx.run(`DELETE FROM thread_subscriptions WHERE identity_id = ?`, [identityId]);
      await tx.run(`DELETE FROM notifications WHERE recipient_id = ?`, [identityId]);
      for (const id of gone) await tx.run(`DELETE FROM notifications WHERE comment_id = ?`, [id]);
      await tx.run(`DELETE FROM outbox WHERE state = 'pending' AND kind IN ('mail', 'notify') AND payload LIKE ? ESCAPE '\\'`, [
        `%${JSON.stringify(identityId).replace(/[%_\\]/g, (c) => `\\${c}`)}%`,
      ]);
    }
    if (hasSignIn) {
      // Every browser it signed in on, and links not yet used.
      await tx.run(`DELETE FROM identity_tokens WHERE identity_id = ?`, [identityId]);
      await tx.run(`DELETE FROM sign_in_links WHERE identity_id = ?`, [identityId]);
    }
    await tx.run(`DELETE FROM identities WHERE id = ?`, [identityId]);
    return { counts, gone };
  });

  const changed: ErasureResult['changed'] = [];
  for (const [id, earlier] of before) {
    if (result.gone.includes(id)) {
      changed.push({ event: 'deleted', comment: { ...earlier, status: 'deleted', body: '', html: '', author: { id: ERASED_IDENTITY_ID, name: '', role: 'reader' } } });
      continue;
    }
    const now = await store.getComment(id);
    if (now) changed.push({ event: mode === 'anonymise' ? 'edited' : 'deleted', comment: now });
  }
  return { mode, ...result.counts, changed };
}
