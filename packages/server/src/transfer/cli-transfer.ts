import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ColloquyError } from '@colloquy/core';
import {
  createProgressReporter,
  importInto,
  parseDisqus,
  parseWxr,
  readThreadKeyMap,
  type ImportRecordStream,
  type ThreadKeyRule,
} from '@colloquy/importer';
import type { ServerConfig } from '../config.js';
import { createBodyRenderer } from '../render.js';
import { createStore } from '../store/index.js';
import { ERASED_IDENTITY_ID, eraseIdentity, type ErasureMode } from '../data-rights.js';
import { createStoreImportSink, screenImportRecords } from './import-sink.js';
import { exportSite } from './site-export.js';
import { importSite } from './site-import.js';

export const TRANSFER_USAGE = `  import disqus <file>     import a Disqus XML export
  import wordpress <file>  import a WordPress WXR export
  import json <file>       import a file written by "export" (into an empty database, or again: nothing is duplicated);
                           every identity becomes a reader without a token unless --trusted
  export [--out <file>]    write the whole site as JSON Lines (standard output without --out)
  erase <identity-id>      erase one identity as DELETE /api/v1/me would (--email <address>: every imported author with it;
                           --mode remove|anonymise, default COLLOQUY_ERASURE)

Import options (each also an environment variable):
  --strip-prefix <path>        COLLOQUY_IMPORT_STRIP_PREFIX   drop a leading path, e.g. /blog
  --keep-query <names>         COLLOQUY_IMPORT_KEEP_QUERY     query parameters kept in keys: p,page_id (default), all, none
  --thread-map <file.json>     COLLOQUY_IMPORT_THREAD_MAP     {"old URL or key": "new key"} for pages that moved
  --local-time-offset <min>    COLLOQUY_IMPORT_LOCAL_TIME_OFFSET  WordPress only: site UTC offset for dates without GMT
  --skip-check                 do not read the file once for well-formedness before writing
  --trusted                    json only: the file is this site's own export; keep roles and reader tokens
  --quiet                      no progress output`;

const log = (line: string) => process.stderr.write(`colloquy: ${line}\n`);

function usage(message: string): never {
  throw Object.assign(new ColloquyError('invalid_input', `${message}\n\nUsage:\n${TRANSFER_USAGE}`), { exitCode: 2 });
}

/** The thread-key rule from flags, falling back to environment variables; see docs/import.md. */
export async function threadKeyRuleFrom(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): Promise<ThreadKeyRule> {
  const pick = (flag: string, variable: string) => {
    const value = values[flag];
    if (typeof value === 'string') return value.trim();
    return env[variable]?.trim() || undefined;
  };
  const rule: ThreadKeyRule = {};
  const prefix = pick('strip-prefix', 'COLLOQUY_IMPORT_STRIP_PREFIX');
  if (prefix) rule.stripPrefix = prefix;
  if (pick('trailing-slash', 'COLLOQUY_IMPORT_TRAILING_SLASH')) {
    usage('--trailing-slash (COLLOQUY_IMPORT_TRAILING_SLASH) is gone: thread keys are always canonical, without a trailing slash, as the widget and the server use them.');
  }
  const query = pick('keep-query', 'COLLOQUY_IMPORT_KEEP_QUERY');
  if (query) {
    rule.keepQuery = query === 'all' ? true : query === 'none' ? false : query.split(',').map((q) => q.trim()).filter(Boolean);
  }
  const map = pick('thread-map', 'COLLOQUY_IMPORT_THREAD_MAP');
  if (map) rule.map = await readThreadKeyMap(map);
  return rule;
}

const IMPORT_OPTIONS = {
  'strip-prefix': { type: 'string' },
  'trailing-slash': { type: 'string' },
  'keep-query': { type: 'string' },
  'thread-map': { type: 'string' },
  'local-time-offset': { type: 'string' },
  'skip-check': { type: 'boolean' },
  trusted: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

const EXPORT_OPTIONS = { out: { type: 'string', short: 'o' }, quiet: { type: 'boolean' } } as const;

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true } as const);
  } catch (error) {
    usage((error as Error).message);
  }
}

export async function runImport(args: string[], config: ServerConfig, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { values, positionals } = parse(args, IMPORT_OPTIONS);
  const [kind, file, ...rest] = positionals;
  if (!kind || !file || rest.length) usage('import needs a kind (disqus, wordpress or json) and one file.');
  if (kind !== 'disqus' && kind !== 'wordpress' && kind !== 'json') usage(`Unknown import kind "${kind}"; use disqus, wordpress or json.`);
  const quiet = values.quiet === true;
  if (values.trusted === true && kind !== 'json') usage('--trusted applies to import json only; Disqus and WordPress authors are always readers without a token.');

  if (kind === 'json') {
    const store = await createStore(config.databaseUrl);
    const renderer = createBodyRenderer();
    try {
      await renderer.check();
      const reporter = quiet ? null : createProgressReporter();
      const asProgress = (p: { rows: number; created: number; existing: number; skipped: number; bytesRead: number; totalBytes: number }) => ({
        records: p.rows, created: p.created, existing: p.existing, skipped: p.skipped, deferred: 0, detached: 0, bytesRead: p.bytesRead, totalBytes: p.totalBytes,
      });
      const summary = await importSite(store, file, {
        renderer,
        trusted: values.trusted === true,
        onProgress: (p) => reporter?.update(asProgress(p)),
        onSkipped: (s) => log(`skipped a ${s.table} row at line ${s.line}: ${s.reason}`),
      });
      reporter?.done(asProgress(summary));
      console.log(
        `colloquy: imported ${file} into ${store.dialect}: ${summary.created} rows created, ${summary.existing} already there, ${summary.skipped} skipped`,
      );
      const { rolesDemoted, tokensDropped, htmlRerendered, htmlReplaced } = summary.refused;
      console.log(
        `colloquy: ${values.trusted === true ? 'trusted' : 'untrusted'} file: ${rolesDemoted} roles demoted, ${tokensDropped} tokens dropped, ` +
          `${htmlRerendered} html fields re-rendered (${htmlReplaced} differed from the file)`,
      );
    } finally {
      await renderer.close();
      await store.close();
    }
    return;
  }

  const threadKey = await threadKeyRuleFrom(values, env);
  const offsetRaw = typeof values['local-time-offset'] === 'string' ? values['local-time-offset'] : env.COLLOQUY_IMPORT_LOCAL_TIME_OFFSET?.trim();
  let localTimeOffsetMinutes: number | undefined;
  if (offsetRaw) {
    if (!/^[+-]?\d{1,4}$/.test(offsetRaw) || Math.abs(Number(offsetRaw)) > 18 * 60) usage(`--local-time-offset must be minutes from -1080 to 1080, not "${offsetRaw}".`);
    localTimeOffsetMinutes = Number(offsetRaw);
  }
  const open = (): ImportRecordStream =>
    kind === 'disqus'
      ? parseDisqus(file, { threadKey })
      : parseWxr(file, { threadKey, ...(localTimeOffsetMinutes !== undefined ? { localTimeOffsetMinutes } : {}) });

  // A strict first reading: a file that is not well-formed is refused before anything is stored.
  if (values['skip-check'] !== true) {
    if (!quiet) log(`checking ${file}`);
    for await (const record of open()) void record;
  }

  const store = await createStore(config.databaseUrl);
  const renderer = createBodyRenderer();
  try {
    await renderer.check();
    const sink = createStoreImportSink(store, { renderer, maxDepth: config.limits.maxDepth, now: config.now });
    const reporter = quiet ? null : createProgressReporter();
    const summary = await importInto(screenImportRecords(open()), sink, {
      onProgress: (p) => reporter?.update(p),
      onSkipped: (s) =>
        log(`skipped ${s.sourceId ? `record ${s.sourceId}` : 'a record'}${s.line ? ` at line ${s.line}, column ${s.column}` : ''}: ${s.reason}`),
    });
    await sink.flush();
    reporter?.done(summary);
    console.log(
      `colloquy: imported ${file} into ${store.dialect}: ${summary.created} comments created, ${summary.existing} already there, ` +
        `${summary.skipped} skipped, ${summary.detached} detached`,
    );
  } finally {
    await renderer.close();
    await store.close();
  }
}

export async function runExport(args: string[], config: ServerConfig): Promise<void> {
  const { values, positionals } = parse(args, EXPORT_OPTIONS);
  if (positionals.length) usage(`export takes no file name but --out <file>; got "${positionals.join(' ')}".`);
  const out = typeof values.out === 'string' ? values.out : null;
  const store = await createStore(config.databaseUrl);
  try {
    if (!out) {
      await exportSite(store, process.stdout);
      return;
    }
    // Written beside the target and renamed at the end, so a failed export never looks complete.
    const partial = `${out}.partial`;
    const stream = createWriteStream(partial);
    try {
      const tty = process.stderr.isTTY && values.quiet !== true;
      const trailer = await exportSite(store, stream, { onProgress: (rows) => tty && process.stderr.write(`\r\x1b[Kexport: ${rows} rows`) });
      if (tty) process.stderr.write('\n');
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      await rename(partial, out);
      const counts = Object.entries(trailer.counts).map(([table, n]) => `${n} ${table}`).join(', ');
      console.log(`colloquy: exported ${store.dialect} to ${out}: ${counts}`);
    } catch (error) {
      stream.destroy();
      await rm(partial, { force: true });
      throw error;
    }
  } finally {
    await store.close();
  }
}

const ERASE_OPTIONS = { email: { type: 'string' }, mode: { type: 'string' } } as const;

/**
 * Erases identities a site owner names: one by id, or by `--email` every imported author with
 * that address (authors of imported comments have no token, so they cannot use DELETE /api/v1/me).
 */
export async function runErase(args: string[], config: ServerConfig): Promise<void> {
  const { values, positionals } = parse(args, ERASE_OPTIONS);
  const email = typeof values.email === 'string' ? values.email.trim() : '';
  if (positionals.length > 1 || (positionals.length === 1) === Boolean(email)) usage('erase needs one identity id, or --email <address>.');
  const mode = (values.mode ?? config.erasure) as string;
  if (mode !== 'remove' && mode !== 'anonymise') usage(`--mode must be remove or anonymise, not "${mode}".`);
  const store = await createStore(config.databaseUrl);
  try {
    const ids = email
      ? (await store.db.all<{ id: string }>(`SELECT id FROM identities WHERE lower(email) = ? ORDER BY id`, [email.toLowerCase()])).map((r) => r.id)
      : positionals.filter((id) => id !== ERASED_IDENTITY_ID);
    const known = [];
    for (const id of ids) if (await store.getIdentity(id)) known.push(id);
    if (known.length === 0) throw new ColloquyError('not_found', email ? `No identity has the e-mail address ${email}.` : `No identity has the id ${positionals[0]}.`);
    for (const id of known) {
      const result = await eraseIdentity(store, id, mode as ErasureMode, config.now);
      console.log(
        `colloquy: erased ${id} (${mode}): ${result.removed} comments removed, ${result.placeholders} kept as placeholders, ` +
          `${result.anonymised} anonymised, ${result.reports} reports deleted`,
      );
    }
  } finally {
    await store.close();
  }
}
