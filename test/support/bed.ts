// The production test bed: a site set up the way docs/self-hosting.md tells an operator to, from
// Debian's packages, on loopback.
//
// - a PostgreSQL database of its own, migrated with `colloquy-server migrate`;
// - a Disqus export and a WordPress export (real samples from shared/corpus) imported with
//   `colloquy-server import disqus|wordpress`;
// - two `colloquy-server` processes (the built bin), each with the environment one instance of
//   docs/deploy/colloquy@.service and docs/deploy/colloquy.env gives it;
// - nginx with docs/deploy/nginx.conf terminating TLS for `comments.test`, and serving the host
//   blog, static pages under the imported posts' old paths, as `blog.test` on the same port: two
//   origins, the blog's pages under the Content Security Policy docs/self-hosting.md documents;
// - Chromium told that both names are 127.0.0.1 and to trust the test's server key.
//
// test/node/production-bed.test.ts drives it; bench/time-to-comments-bed.mjs measures through it,
// and test/support/bed-screenshots.ts photographs it.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ADMIN_URL, pgAdmin } from './pg-admin.js';
import type { Browser } from 'playwright-core';
import { corpusPath } from '../../scripts/corpus.mjs';
import { launchChromium } from './browser.js';
import { renderServiceEnvironment } from './deploy-config.js';
import { startNginx, type Nginx } from './nginx.js';
import { freePort, runCli, startServerProcess, type ServerProcess } from './server-process.js';

export const COMMENTS_HOST = 'comments.test';
export const BLOG_HOST = 'blog.test';

/** The exports imported, and the blog's pages at the imported threads' old paths. */
export const IMPORTS = {
  disqus: { file: 'import/disqus/remark42-disqus.repaired.xml' },
  wordpress: { file: 'import/wxr/isso-tests-wordpress.xml' },
} as const;

export interface BlogPost {
  /** The page's path on the blog: the post's old URL path, as in the export. */
  path: string;
  title: string;
  paragraphs: string[];
}

export const POSTS = {
  /** WordPress, `http://example.tld/2014/test/`: a reply chain 6 ← 7 ← {8, 9}, and more. */
  wordpress: {
    path: '/2014/test/',
    title: 'Hello, World…',
    paragraphs: [
      'This post moved here from an old WordPress blog. Its comments came along with it: the export was imported with one command, and the conversation reads as it did, replies under what they answer.',
      'The comments below are served by the comment server on another origin, through nginx.',
    ],
  },
  /** Disqus, `http://radio-t.umputun.com/2011/03/229_8880.html`: Cyrillic comments. */
  disqus: {
    path: '/2011/03/229_8880.html',
    title: 'Радио-Т 229',
    paragraphs: ['An episode page from a podcast that kept its comments on Disqus; imported with the Disqus export.'],
  },
  /** Disqus, `https://radio-t.com/p/2011/03/05/podcast-229/`: closed to new comments on the old site (`isClosed`). */
  disqusClosed: {
    path: '/p/2011/03/05/podcast-229/',
    title: 'Радио-Т 229, closed',
    paragraphs: ['The same episode at its later address, where the old site had closed the comments; the import kept them closed.'],
  },
} satisfies Record<string, BlogPost>;

export interface Bed {
  /** `https://comments.test:PORT` */
  commentsOrigin: string;
  /** `https://blog.test:PORT` */
  blogOrigin: string;
  port: number;
  nginx: Nginx;
  servers: [ServerProcess, ServerProcess];
  databaseUrl: string;
  /** The environment the operator's shell has for `colloquy-server` commands (colloquy.env). */
  operatorEnv: Record<string, string>;
  /** What each operator command printed, in order: `[command, stdout + stderr]`. */
  operatorLog: Array<[string, string]>;
  /** Tables in the new database before and after `colloquy-server migrate`. */
  tablesBeforeMigrate: number;
  tablesAfterMigrate: number;
  /** Runs `colloquy-server <args>` as the operator (the built bin, the operator's environment). */
  cli(args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** Chromium that resolves both host names to loopback and trusts the test's key. */
  chromiumArgs: string[];
  launchBrowser(): Promise<Browser>;
  /** `https://blog.test:PORT` + path */
  blogUrl(path: string): string;
  stop(): Promise<void>;
}


/** Tables in the bed's database, to show what `migrate` made. */
export async function tableCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

/** The Content Security Policy docs/self-hosting.md gives for pages that embed the widget. */
export function documentedPageCsp(commentsOrigin: string): string {
  const doc = readFileSync(fileURLToPath(new URL('../../docs/self-hosting.md', import.meta.url)), 'utf8');
  const match = /```http\nContent-Security-Policy: (.+)\n```/.exec(doc);
  if (!match) throw new Error('docs/self-hosting.md no longer shows a Content-Security-Policy block; update test/support/bed.ts');
  return match[1]!.split('https://comments.example.org').join(commentsOrigin);
}

/**
 * The first page's address as docs/getting-started.md ("Load comments with the page") has site
 * owners write it in `<head>`: the widget's own request, parameters in the adapter's order.
 */
function firstPageUrl(post: BlogPost, commentsOrigin: string): string {
  return `${commentsOrigin}/api/v1/comments?${new URLSearchParams({ thread: post.path, sort: 'oldest', limit: '20' })}`;
}

function blogPage(post: BlogPost, commentsOrigin: string): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(post.title)} · A test blog</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/blog.css">
<link rel="modulepreload" href="${commentsOrigin}/embed.js">
<link rel="preload" as="fetch" crossorigin href="${escape(firstPageUrl(post, commentsOrigin)).replace(/"/g, '&quot;')}">
<script type="module" src="${commentsOrigin}/embed.js"></script>
</head>
<body>
<header><a href="/">A test blog</a></header>
<main>
<article>
<h1>${escape(post.title)}</h1>
${post.paragraphs.map((text) => `<p>${escape(text)}</p>`).join('\n')}
</article>
<colloquy-thread></colloquy-thread>
</main>
<footer><p>A static page served by nginx; the comments come from the comment server, another origin.</p></footer>
</body>
</html>
`;
}

const BLOG_CSS = `body { margin: 0; font: 18px/1.6 Georgia, serif; color: #1d1d1f; background: #fbfaf7; }
header, main, footer { max-width: 42rem; margin: 0 auto; padding: 0 1rem; }
header { padding-block: 1rem; border-bottom: 1px solid #d8d4cc; }
header a { color: #1d1d1f; font-weight: bold; text-decoration: none; }
h1 { font-size: 2rem; line-height: 1.2; margin-block: 2rem 1rem; }
article { margin-bottom: 2rem; }
footer { padding-block: 2rem; color: #55524c; font-size: 0.9rem; }
`;

/** Writes the blog's pages under `root`, readable by nginx's workers. */
function writeBlog(root: string, commentsOrigin: string): void {
  const write = (path: string, text: string) => {
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, text, { mode: 0o644 });
  };
  write('/blog.css', BLOG_CSS);
  for (const post of Object.values(POSTS)) write(post.path, blogPage(post, commentsOrigin));
  const links = Object.values(POSTS).map((post) => `<li><a href="${post.path}">${post.title}</a></li>`).join('');
  write('/', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A test blog</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/blog.css"></head><body><main><h1>A test blog</h1><ul>${links}</ul></main></body></html>\n`);
}

/** Starts the whole bed. `log` receives progress lines (the bench and screenshot script print them). */
export async function startBed(options: { log?: (line: string) => void } = {}): Promise<Bed> {
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bed-'));
  chmodSync(dir, 0o755);
  const blogRoot = join(dir, 'blog');
  mkdirSync(blogRoot, { mode: 0o755 });
  const cleanups: Array<() => Promise<void>> = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    // Every port is chosen first: the blog's origin, which the servers must allow, includes
    // nginx's port, and nginx is started last, once its upstreams answer.
    const ports = [await freePort(), await freePort()];
    const port = await freePort();

    const name = `colloquy_bed_${randomBytes(5).toString('hex')}`;
    await pgAdmin(`CREATE DATABASE ${name}`);
    cleanups.push(() => pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const databaseUrl = url.href;
    const jwtSecret = randomBytes(32).toString('hex');

    const commentsOrigin = `https://${COMMENTS_HOST}:${port}`;
    const blogOrigin = `https://${BLOG_HOST}:${port}`;
    const envFor = (serverPort: number) => renderServiceEnvironment({ port: serverPort, allowedOrigin: blogOrigin, databaseUrl, jwtSecret });
    const { PORT: _port, ...operatorEnv } = envFor(0);
    void _port;
    const operatorLog: Array<[string, string]> = [];
    const cli = async (args: string[]) => {
      const result = await runCli(args, operatorEnv, { built: true });
      operatorLog.push([`colloquy-server ${args.join(' ')}`, result.stdout + result.stderr]);
      return result;
    };

    log('migrating the database');
    const tablesBeforeMigrate = await tableCount(databaseUrl);
    await cli(['migrate']);
    const tablesAfterMigrate = await tableCount(databaseUrl);
    // The imports run while the servers start, as an operator may import into a running site
    // (docs/import.md); each import is one command, and they do not wait for each other.
    log('importing the Disqus and WordPress exports; starting two server processes');
    const starting = ports.map((serverPort) => startServerProcess(envFor(serverPort), { port: serverPort, built: true, testDefaults: false }));
    for (const server of starting) server.catch(() => undefined); // reported by the Promise.all below
    cleanups.push(async () => {
      await Promise.all(starting.map((server) => server.then((s) => s.stop(), () => undefined)));
    });
    await Promise.all([
      cli(['import', 'disqus', corpusPath(IMPORTS.disqus.file)]),
      cli(['import', 'wordpress', corpusPath(IMPORTS.wordpress.file)]),
    ]);
    const servers = (await Promise.all(starting)) as [ServerProcess, ServerProcess];

    writeBlog(blogRoot, commentsOrigin);
    log('starting nginx');
    const nginx = await startNginx(ports, {
      port,
      commentsHost: COMMENTS_HOST,
      site: { host: BLOG_HOST, root: blogRoot, headers: { 'Content-Security-Policy': documentedPageCsp(commentsOrigin) } },
    });
    cleanups.push(() => nginx.stop());

    const chromiumArgs = [
      `--host-resolver-rules=MAP ${COMMENTS_HOST} 127.0.0.1, MAP ${BLOG_HOST} 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${nginx.spki}`,
    ];
    return {
      commentsOrigin,
      blogOrigin,
      port,
      nginx,
      servers,
      databaseUrl,
      operatorEnv,
      operatorLog,
      tablesBeforeMigrate,
      tablesAfterMigrate,
      cli,
      chromiumArgs,
      launchBrowser: () => launchChromium(chromiumArgs),
      blogUrl: (path: string) => `${blogOrigin}${path}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
