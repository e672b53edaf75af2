// Shared by the server benchmarks: child processes, autocannon runs and resident memory.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** Starts `node ...args` and resolves once `readyUrl` answers 2xx. */
export function startChild(args, env, readyUrl) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  const deadline = Date.now() + 30_000;
  return new Promise((resolve, reject) => {
    const poll = async () => {
      try {
        if ((await fetch(readyUrl)).ok) return resolve(child);
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline || child.exitCode !== null) return reject(new Error(`${args.join(' ')} did not start`));
      setTimeout(poll, 100);
    };
    poll();
  });
}

export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** CPU time (user + system) a process has used so far, in seconds. Linux clock ticks are 1/100 s. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function run(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export function summary(result) {
  return {
    'req/s': Math.round(result.requests.average),
    p50: `${result.latency.p50} ms`,
    p99: `${result.latency.p99} ms`,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

