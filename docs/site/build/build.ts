// Builds the documentation site into docs/site/dist: static HTML pages (guides from docs/*.md,
// references generated from the element's manifest and the server's OpenAPI document) and one
// script and one stylesheet, so the site runs under a strict CSP with no server behind it.
//
//   pnpm docs:build     (at the repository root)
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, defaultClientConditions } from 'vite';
import { renderComponentReference } from './components.js';
import { configuratorPage, liveDemo, themingPlayground } from './interactive.js';
import { NAV, renderPage, type PageInput } from './layout.js';
import { renderMarkdown } from './markdown.js';
import { loadOpenApi, renderProtocolReference } from './protocol.js';
import { readManifest, readRepoFile, serverEnvTable, siteRoot } from './sources.js';

const dist = join(siteRoot, 'dist');

function fromDoc(file: string, doc: string, description: string, markers: Record<string, string> = {}): PageInput {
  let source = readRepoFile(`docs/${doc}`);
  for (const [marker, html] of Object.entries(markers)) {
    if (!source.includes(marker)) throw new Error(`docs/${doc} lost its ${marker} marker`);
    source = source.replace(marker, html);
  }
  const body = renderMarkdown(source);
  const title = /<h1[^>]*>(.*?)<\/h1>/.exec(body)?.[1]?.replace(/<[^>]+>/g, '') ?? file;
  return { file, title, description, body };
}

/** Every link to a page of the site must name a page that exists. */
function checkLinks(pages: PageInput[]): void {
  const files = new Set([...pages.map((p) => p.file), 'openapi.json']);
  const broken: string[] = [];
  for (const page of pages) {
    for (const m of page.body.matchAll(/href="([^"#:]+)(#[^"]*)?"/g)) {
      const target = m[1] ?? '';
      if (!files.has(target)) broken.push(`${page.file} → ${target}`);
    }
  }
  if (broken.length) throw new Error(`broken links:\n${broken.join('\n')}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const manifest = readManifest();
  const openapi = await loadOpenApi();

  const pages: PageInput[] = [
    fromDoc('index.html', 'getting-started.md', 'Put threaded, moderated comments under any page with one script tag.', {
      '<!-- live-demo -->': liveDemo(),
    }),
    {
      file: 'configurator.html',
      title: 'Configurator',
      description: 'Choose thread key, language, theme, sort order and server; get the snippet and a live preview.',
      body: configuratorPage(),
    },
    fromDoc('theming.html', 'theming.md', 'Custom properties and parts of the Colloquy widget, to try live.', {
      '<!-- theming-playground -->': themingPlayground(manifest),
    }),
    {
      file: 'components.html',
      title: 'Component reference',
      description: 'Every attribute, property, event, part and custom property of the Colloquy elements.',
      body: renderComponentReference(manifest),
    },
    {
      file: 'protocol.html',
      title: 'HTTP API reference',
      description: 'The v1 HTTP protocol of the Colloquy server, generated from its OpenAPI document.',
      body: renderProtocolReference(openapi),
    },
    fromDoc('protocol-guide.html', 'protocol.md', 'Conventions of the Colloquy HTTP protocol: errors, identity, paging, live events.'),
    fromDoc('self-hosting.html', 'self-hosting.md', 'Run the Colloquy server: environment variables, backups, PostgreSQL, reverse proxies, CSP.', {
      '<!-- env-table -->': serverEnvTable(),
    }),
    fromDoc('import.html', 'import.md', 'Bring comments from Disqus and WordPress, streaming, with no duplicates on a re-run.'),
    fromDoc('data-rights.html', 'data-rights.md', 'Export a whole site and load it elsewhere; readers’ export and erasure.'),
    fromDoc('adapters.html', 'adapters.md', 'Keep comments anywhere: the storage adapter contract and its conformance suite.'),
    fromDoc('examples.html', 'examples.md', 'Colloquy in plain HTML, React 19, Vue 3 and Svelte 5.'),
  ];
  const missing = NAV.filter((entry) => !pages.some((p) => p.file === entry.file));
  if (missing.length) throw new Error(`navigation names pages that were not built: ${missing.map((m) => m.file).join(', ')}`);
  checkLinks(pages);

  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, 'assets'), { recursive: true });
  for (const page of pages) writeFileSync(join(dist, page.file), renderPage(page));
  writeFileSync(join(dist, 'openapi.json'), `${JSON.stringify(openapi, null, 2)}\n`);
  for (const asset of ['site.css', 'favicon.svg']) copyFileSync(join(siteRoot, 'src', asset), join(dist, 'assets', asset));

  await build({
    configFile: false,
    root: siteRoot,
    logLevel: 'warn',
    resolve: { conditions: ['colloquy-source', ...defaultClientConditions] },
    build: {
      target: 'es2022',
      outDir: join(dist, 'assets'),
      emptyOutDir: false,
      sourcemap: false,
      lib: { entry: join(siteRoot, 'src/main.ts'), formats: ['es'], fileName: () => 'site.js' },
      rolldownOptions: { output: { minify: true } },
    },
  });
  console.log(`docs site: ${pages.length} pages in ${dist} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
