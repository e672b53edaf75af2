// Starts Debian's nginx in front of the test's server processes, with the documented
// configuration (docs/deploy/nginx.conf) and certificates made for the test (a test CA and a
// server certificate signed by it), the way a site owner runs it. The documented file is used as
// written but for the values test/support/deploy-config.ts substitutes (ports, host name,
// certificate paths, the list of server processes). Optionally nginx also serves a static site
// (the host blog) on the same port under another host name, so the blog and the comments are two
// origins, as on a real site.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNginxSite } from './deploy-config.js';
import { freePort } from './server-process.js';


const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

export interface Nginx {
  /** `https://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** The test CA's certificate, for clients to trust. */
  ca: string;
  /** base64 SHA-256 of the server certificate's public key, for `--ignore-certificate-errors-spki-list`. */
  spki: string;
  errors(): string;
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** The port to listen on (127.0.0.1); a free one by default. */
  port?: number;
  /** The comments server's host name (the documented `server_name`); default `localhost`. */
  commentsHost?: string;
  /** A static site served beside the comments on the same port, under its own host name. */
  site?: { host: string; root: string; headers?: Record<string, string> };
}

/**
 * A test CA and a server certificate it signed for the given names (and 127.0.0.1), valid for a
 * day: `ca.pem`, `fullchain.pem` (server then CA) and `privkey.pem` in `dir`.
 */
export function makeCertificates(dir: string, names: string[]): { ca: string; spki: string; certificate: string; key: string } {
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...curve, '-days', '2', '-subj', '/CN=Colloquy test CA', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', ...curve, '-subj', `/CN=${names[0]}`, '-keyout', join(dir, 'privkey.pem'), '-out', join(dir, 'server.csr')]);
  const alt = [...names.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',');
  writeFileSync(join(dir, 'server.ext'), `subjectAltName=${alt}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n`);
  openssl(['x509', '-req', '-in', join(dir, 'server.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial',
    '-days', '1', '-sha256', '-extfile', join(dir, 'server.ext'), '-out', join(dir, 'server.pem')]);
  const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
  const server = readFileSync(join(dir, 'server.pem'), 'utf8');
  writeFileSync(join(dir, 'fullchain.pem'), server + ca);
  const der = new X509Certificate(server).publicKey.export({ type: 'spki', format: 'der' });
  return { ca, spki: createHash('sha256').update(der).digest('base64'), certificate: join(dir, 'fullchain.pem'), key: join(dir, 'privkey.pem') };
}

/** nginx on a free loopback port, terminating TLS, proxying to the given server ports. */
export async function startNginx(upstreamPorts: number[], options: NginxOptions = {}): Promise<Nginx> {
  if (!existsSync(NGINX)) {
    throw new Error(`nginx not found at ${NGINX}: the proxy tests run behind Debian's nginx (scripts/setup.sh installs it; NGINX_PATH overrides).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-nginx-'));
  chmodSync(dir, 0o755); // nginx's workers run as another user and write their temp files here
  const commentsHost = options.commentsHost ?? 'localhost';
  const names = [commentsHost, ...(options.site ? [options.site.host] : []), 'localhost'];
  const tls = makeCertificates(dir, [...new Set(names)]);
  const port = options.port ?? (await freePort());
  const listen = `127.0.0.1:${port}`;
  writeFileSync(join(dir, 'colloquy.conf'), renderNginxSite({ listen, serverName: commentsHost, upstreamPorts, certificate: tls.certificate, key: tls.key }));
  const site = options.site;
  const siteConf = site
    ? `server {
  listen ${listen} ssl http2;
  server_name ${site.host};
  ssl_certificate ${tls.certificate};
  ssl_certificate_key ${tls.key};
  root ${site.root};
  index index.html;
${Object.entries(site.headers ?? {}).map(([name, value]) => `  add_header ${name} "${value.replace(/"/g, '\\"')}" always;\n`).join('')}}
`
    : '';
  writeFileSync(join(dir, 'site.conf'), siteConf);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${join(dir, 'colloquy.conf')};
  include ${join(dir, 'site.conf')};
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `https://127.0.0.1:${port}`;
  const errors = () => output + (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '');
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${errors()}`);
    const up = await new Promise<boolean>((resolve) => {
      const req = request(`${url}/api/v1/config`, { ca: tls.ca, headers: { host: commentsHost } }, (res) => {
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
    port,
    ca: tls.ca,
    spki: tls.spki,
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
