import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { corpusPath } from '../../../../scripts/corpus.mjs';
import { createStore, type Store } from '../store/index.js';
import type { Database } from '../test-support.js';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../..', import.meta.url));

/** The shared import samples (`../shared/corpus/import`); a missing corpus fails with a message saying so. */
export const CORPUS = corpusPath('import');

/** The database URL the CLI is given: on PostgreSQL the test's own schema rides in the connection options. */
export function cliDatabaseUrl(database: Database): string {
  if (!database.schema) return database.url;
  const url = new URL(database.url);
  url.searchParams.set('options', `-c search_path=${database.schema}`);
  return url.href;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `colloquy-server <args>` from source in a child process, as a site owner would run the built bin. */
export function runCli(args: readonly string[], env: Record<string, string>, options: { tty?: boolean } = {}): Promise<CliResult> {
  const node = [process.execPath, '--conditions=colloquy-source', '--import', 'tsx', CLI, ...args];
  // `script` gives the child a pseudo-terminal, so the progress bar is drawn as on a real terminal.
  const quoted = node.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const [file, argv] = options.tty ? ['script', ['-qfec', quoted, '/dev/null']] : [node[0]!, node.slice(1)];
  return new Promise((resolve) => {
    execFile(
      file as string,
      argv as string[],
      { cwd: PACKAGE, env: { ...process.env, COLLOQUY_DEMO: 'off', ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Opens the database the CLI wrote, to look at what it stored. */
export function openDatabase(database: Database): Promise<Store> {
  return createStore(database.url, database.schema ? { schema: database.schema } : {});
}
