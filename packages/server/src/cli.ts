#!/usr/bin/env -S node --max-semi-space-size=2
import { isColloquyError } from '@colloquy/core';
import { createServer } from './app.js';
import { configFromEnv, describeAllowedOrigins } from './config.js';
import { createBodyRenderer } from './render.js';
import { seedDemo } from './seed.js';
import { runToken, TOKEN_USAGE } from './token-command.js';
import { createStore } from './store/index.js';
import { runErase, runExport, runImport, TRANSFER_USAGE } from './transfer/cli-transfer.js';

const USAGE = `Usage: colloquy-server [command]

Commands:
  serve       run the server (default)
  migrate     bring the database schema up to date and exit
  seed-demo   add the demo article's comments (once; safe to repeat) and exit
  demo        seed the demo comments, then serve
${TOKEN_USAGE}
${TRANSFER_USAGE}

Configured by environment variables (see the package README): PORT, HOST, DATABASE_URL,
COLLOQUY_JWT_SECRET, COLLOQUY_JWT_AUDIENCE, COLLOQUY_JWT_ISSUER, COLLOQUY_ALLOWED_ORIGINS, COLLOQUY_REPORT_THRESHOLD, COLLOQUY_MODERATION,
COLLOQUY_EDIT_WINDOW, COLLOQUY_PREMODERATE_THREADS, COLLOQUY_SPAM, COLLOQUY_RATE_LIMITS, COLLOQUY_EMBED_PATH, COLLOQUY_DEMO, COLLOQUY_LOG,
COLLOQUY_TRUST_PROXY, COLLOQUY_ERASURE, COLLOQUY_REPORT_WEIGHTS, COLLOQUY_TRUST_MIN_AGE_HOURS (default 72),
COLLOQUY_TRUST_MIN_COMMENTS (default 2), COLLOQUY_TRUST_NETWORKS (default on),
COLLOQUY_MAX_STREAMS_PER_ADDRESS, COLLOQUY_MAX_STREAMS, COLLOQUY_REQUEST_TIMEOUT, COLLOQUY_WEBHOOK_URL, COLLOQUY_WEBHOOK_SECRET,
COLLOQUY_SMTP_URL, COLLOQUY_MAIL_FROM, COLLOQUY_PUBLIC_URL, COLLOQUY_SITE_URL, COLLOQUY_NOTIFY_BATCH, COLLOQUY_DIGEST_HOUR,
COLLOQUY_OUTBOX_LEASE, COLLOQUY_OUTBOX_RETRY_MAX, COLLOQUY_OUTBOX_POLL.

Reports hide a comment (COLLOQUY_REPORT_THRESHOLD, default 3) only by the weight of established
readers: a pseudonymous reader counts once their identity is COLLOQUY_TRUST_MIN_AGE_HOURS old and
has COLLOQUY_TRUST_MIN_COMMENTS published comments no one hid (0 and 0: every reader counts);
reports from one /24 (IPv4) or /56 (IPv6) network count once (COLLOQUY_TRUST_NETWORKS=off: each
counts, only where all readers share one address on purpose). Every report still reaches the
moderation queue. See docs/moderation-trust.md.`;

async function main(command: string, args: string[]): Promise<void> {
  const config = configFromEnv();
  if (command === 'token') return runToken(process.argv.slice(3), config);
  if (command === 'import') return runImport(args, config);
  if (command === 'export') return runExport(args, config);
  if (command === 'erase') return runErase(args, config);
  if (command === 'migrate') {
    const store = await createStore(config.databaseUrl);
    await store.close();
    console.log('colloquy: database schema is up to date');
    return;
  }
  if (command === 'seed-demo' || command === 'demo') {
    const store = await createStore(config.databaseUrl);
    const renderer = createBodyRenderer();
    try {
      const { created } = await seedDemo(store, renderer);
      console.log(created > 0 ? `colloquy: seeded ${created} demo comments` : 'colloquy: demo comments already present');
    } finally {
      await renderer.close();
      await store.close();
    }
    if (command === 'seed-demo') return;
  } else if (command !== 'serve') {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }

  const server = await createServer(config);
  console.log(`colloquy: listening on ${server.url} (${server.store.dialect})`);
  console.log(describeAllowedOrigins(config));
  if (config.serveDemo) console.log(`colloquy: demo article at ${server.url}/`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`colloquy: ${signal}, finishing open requests`);
    // A stuck connection must not keep the process alive forever.
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('colloquy: error while stopping', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const command = process.argv[2] ?? 'serve';
if (command === '--help' || command === '-h' || command === 'help') {
  console.log(USAGE);
} else {
  main(command, process.argv.slice(3)).catch((error: unknown) => {
    console.error(`colloquy: ${isColloquyError(error) ? error.message : error instanceof Error ? error.stack : String(error)}`);
    // 2 for a command line that could not be understood, 1 for everything else.
    process.exit((error as { exitCode?: number }).exitCode ?? 1);
  });
}
