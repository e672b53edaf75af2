import pg from 'pg';
import type { PostgresDatabase } from './store/postgres.js';

/** A NOTIFY channel for this installation: named after the schema, so installations and test runs in one database stay apart. */
export function channelName(prefix: string, db: PostgresDatabase): string {
  return `${prefix}${db.schema ? `_${db.schema}` : ''}`.replace(/[^a-zA-Z0-9_]/g, '_').slice(0, 63).toLowerCase();
}

/**
 * Listens on a PostgreSQL channel over a connection of its own, and reconnects after a failure:
 * a listener that silently died would stop live updates for good.
 */
export async function listenPostgres(db: PostgresDatabase, channel: string, onPayload: (payload: string) => void): Promise<{ close(): Promise<void> }> {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: db.connectionString });
    next.on('notification', (n) => {
      if (n.channel === channel && n.payload) onPayload(n.payload);
    });
    next.on('error', () => {
      next.end().catch(() => undefined);
      if (client === next) client = null;
      if (!closed) retry = setTimeout(() => void connect().catch(() => undefined), 1000);
    });
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    client = next;
  }
  await connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
