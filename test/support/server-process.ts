// Starts the real `colloquy-server` CLI as a child process, the way a site owner runs it, so
// tests can kill it (SIGKILL) and start it again on the same database.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../packages/server/src/cli.ts', import.meta.url));
/** The package's `colloquy-server` bin as `npx colloquy-server` runs it: the built CLI. */
export const BUILT_CLI = fileURLToPath(new URL('../../packages/server/dist/cli.js', import.meta.url));

export interface CliOptions {
  /** Run the built `colloquy-server` bin (packages/server/dist) rather than the sources under tsx. */
  built?: boolean;
}

function cliCommand(options: CliOptions): string[] {
  if (!options.built) return ['--conditions=colloquy-source', '--import', 'tsx', cli];
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run pnpm build first`);
  return [BUILT_CLI];
}

/** One `colloquy-server <args>` command run to its end, as an operator types it. Rejects on a non-zero exit. */
export function runCli(args: string[], env: Record<string, string>, options: CliOptions = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...cliCommand(options), ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(new Error(`colloquy-server ${args.join(' ')} failed (${error.code}):\n${stdout}${stderr}`), { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// Generous: starting under tsx on a busy two-core machine has taken over 30 s.
const STARTUP_GUARD_MS = 120_000;

export async function startServerProcess(
  env: Record<string, string>,
  options: CliOptions & {
    port?: number;
    command?: 'serve' | 'demo';
    /** false: only `env` (and PORT), the server's own defaults; true (default): rate limits and spam checks off. */
    testDefaults?: boolean;
  } = {},
): Promise<ServerProcess> {
  const chosen = options.port ?? (await freePort());
  const defaults = options.testDefaults === false ? {} : { HOST: '127.0.0.1', COLLOQUY_RATE_LIMITS: 'off', COLLOQUY_SPAM: 'off' };
  const child = spawn(process.execPath, [...cliCommand(options), options.command ?? 'serve'], {
    env: { ...process.env, ...defaults, PORT: String(chosen), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = `http://127.0.0.1:${chosen}`;
  // The CLI prints its "listening on" line once the socket is bound: wait for that line (or the
  // process's exit) rather than polling. The guard only turns a hang into a failure with the log.
  await new Promise<void>((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server printed no "listening on" line within ${STARTUP_GUARD_MS / 1000} s:\n${log}`));
    }, STARTUP_GUARD_MS);
    const onOutput = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('colloquy: listening on ')) {
        clearTimeout(guard);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(guard);
      reject(new Error(`server exited with ${code}:\n${log}`));
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.once('exit', onExit);
  });
  return {
    url,
    port: chosen,
    child,
    output: () => log,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
