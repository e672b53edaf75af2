// Starts Debian's nginx in front of the test's server processes, with the documented
// configuration (docs/deploy/nginx.conf) and a certificate made for the test, the way a site
// owner runs it. The documented file is used as written but for ports, certificate paths and the
// list of server processes; a change to those lines that the rewrite no longer finds fails loudly.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './server-process.js';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
export const DOCUMENTED_NGINX_CONF = fileURLToPath(new URL('../../docs/deploy/nginx.conf', import.meta.url));

export interface Nginx {
  /** `https://127.0.0.1:PORT` */
  url: string;
  /** The test certificate, for clients to trust. */
  ca: string;
  errors(): string;
  stop(): Promise<void>;
}

function rewrite(source: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? source.includes(from) : from.test(source);
  if (!found) throw new Error(`docs/deploy/nginx.conf no longer contains ${String(from)}; update test/support/nginx.ts with it.`);
  return source.replace(from, to);
}

/** nginx on a free loopback port, terminating TLS, proxying to the given server ports. */
export async function startNginx(upstreamPorts: number[]): Promise<Nginx> {
  if (!existsSync(NGINX)) {
    throw new Error(`nginx not found at ${NGINX}: the proxy tests run behind Debian's nginx (scripts/setup.sh installs it; NGINX_PATH overrides).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-nginx-'));
  chmodSync(dir, 0o755); // nginx's workers run as another user and write their temp files here
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', join(dir, 'privkey.pem'), '-out', join(dir, 'fullchain.pem'),
  ], { stdio: 'ignore' });
  const port = await freePort();
  let site = readFileSync(DOCUMENTED_NGINX_CONF, 'utf8');
  site = rewrite(site, /listen 443 ssl http2;/, `listen 127.0.0.1:${port} ssl http2;`);
  site = rewrite(site, /(?:\s*server 127\.0\.0\.1:\d+;)+/, upstreamPorts.map((p) => `\n    server 127.0.0.1:${p};`).join(''));
  site = rewrite(site, '/etc/ssl/colloquy/fullchain.pem', join(dir, 'fullchain.pem'));
  site = rewrite(site, '/etc/ssl/colloquy/privkey.pem', join(dir, 'privkey.pem'));
  writeFileSync(join(dir, 'colloquy.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${join(dir, 'colloquy.conf')};
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ca = readFileSync(join(dir, 'fullchain.pem'), 'utf8');
  const url = `https://127.0.0.1:${port}`;
  const errors = () => output + (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '');
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${errors()}`);
    const up = await new Promise<boolean>((resolve) => {
      const req = request(`${url}/api/v1/config`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not answer within 20 s:\n${errors()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    ca,
    errors,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGQUIT');
      }),
  };
}

export interface ProxiedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // Tests read arbitrary response shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/**
 * One HTTPS request through nginx from a chosen loopback address (the whole of 127.0.0.0/8 is
 * this machine's), so tests can be several clients with addresses of their own.
 */
export function callThrough(
  nginx: Nginx,
  method: string,
  path: string,
  options: { from: string; headers?: Record<string, string>; body?: unknown; token?: string } ,
): Promise<ProxiedAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(`${nginx.url}/api/v1${path}`, { method, headers, ca: nginx.ca, localAddress: options.from }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
