// The template step between the documented deployment files (docs/deploy/) and what the tests
// run. The files are used as written except for the values a test cannot share with a real
// install: ports, host names, certificate paths, the database and the secret. Each substitution
// names the exact text it replaces and fails loudly when the documented file no longer has it, so
// a documented change either still works under test or breaks this step. docs/deploy/README.md
// lists the substitutions; keep the two in step.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const deployFile = (name: string) => fileURLToPath(new URL(`../../docs/deploy/${name}`, import.meta.url));
export const DOCUMENTED_NGINX_CONF = deployFile('nginx.conf');
export const DOCUMENTED_SERVICE_UNIT = deployFile('colloquy@.service');
export const DOCUMENTED_ENVIRONMENT_FILE = deployFile('colloquy.env');

function substitute(file: string, source: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? source.includes(from) : from.test(source);
  if (!found) throw new Error(`docs/deploy/${file} no longer contains ${String(from)}; update test/support/deploy-config.ts and docs/deploy/README.md with it.`);
  return typeof from === 'string' ? source.split(from).join(to) : source.replace(from, to);
}

export interface NginxSite {
  /** Address and port nginx listens on, e.g. `127.0.0.1:8443` (documented: `443`). */
  listen: string;
  /** The comments server's host name (documented: `comments.example.org`). */
  serverName: string;
  /** The server processes' ports (documented: 8787 and 8788). */
  upstreamPorts: number[];
  /** Certificate chain and key (documented: /etc/ssl/colloquy/fullchain.pem and privkey.pem). */
  certificate: string;
  key: string;
}

/** docs/deploy/nginx.conf with the test's ports, host name and certificate. */
export function renderNginxSite(site: NginxSite, source = readFileSync(DOCUMENTED_NGINX_CONF, 'utf8')): string {
  const file = 'nginx.conf';
  let text = source;
  text = substitute(file, text, /listen 443 ssl http2;/, `listen ${site.listen} ssl http2;`);
  text = substitute(file, text, /server_name comments\.example\.org;/, `server_name ${site.serverName};`);
  text = substitute(file, text, /(?:\s*server 127\.0\.0\.1:\d+;)+/, site.upstreamPorts.map((p) => `\n    server 127.0.0.1:${p};`).join(''));
  text = substitute(file, text, '/etc/ssl/colloquy/fullchain.pem', site.certificate);
  text = substitute(file, text, '/etc/ssl/colloquy/privkey.pem', site.key);
  return text;
}

export interface ServiceValues {
  /** The instance's port: the unit's `%i`. */
  port: number;
  /** The host site's origin (documented: https://news.example.org). */
  allowedOrigin: string;
  /** The test's database (documented in colloquy.env). */
  databaseUrl: string;
  /** The test's JWT secret (documented in colloquy.env). */
  jwtSecret: string;
}

/** `KEY=value` pairs of one systemd `Environment=` line (space-separated, double quotes allowed). */
function environmentAssignments(line: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const match of line.matchAll(/([A-Z_][A-Z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const raw = match[2]!;
    pairs.push([match[1]!, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw]);
  }
  return pairs;
}

/**
 * The environment one instance of docs/deploy/colloquy@.service gives the server: its
 * `Environment=` lines with `%i` as the port, then docs/deploy/colloquy.env (its
 * `EnvironmentFile=`), with the test's origin, database and secret put in. Also checks that the
 * unit still starts the `colloquy-server` command, which the tests run from the built package.
 */
export function renderServiceEnvironment(
  values: ServiceValues,
  unit = readFileSync(DOCUMENTED_SERVICE_UNIT, 'utf8'),
  envFile = readFileSync(DOCUMENTED_ENVIRONMENT_FILE, 'utf8'),
): Record<string, string> {
  substitute('colloquy@.service', unit, /^ExecStart=\S+ colloquy-server$/m, '');
  substitute('colloquy@.service', unit, /^EnvironmentFile=\/etc\/colloquy\.env$/m, '');
  let unitText = substitute('colloquy@.service', unit, 'https://news.example.org', values.allowedOrigin);
  unitText = substitute('colloquy@.service', unitText, '%i', String(values.port));
  let envText = substitute('colloquy.env', envFile, /^DATABASE_URL=.*$/m, `DATABASE_URL=${values.databaseUrl}`);
  envText = substitute('colloquy.env', envText, /^COLLOQUY_JWT_SECRET=.*$/m, `COLLOQUY_JWT_SECRET=${values.jwtSecret}`);
  const env: Record<string, string> = {};
  for (const line of unitText.split('\n')) {
    if (line.startsWith('Environment=')) for (const [key, value] of environmentAssignments(line.slice('Environment='.length))) env[key] = value;
  }
  for (const line of envText.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}
