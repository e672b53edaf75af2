// The page shell every page of the site shares: navigation, the stylesheet, the one script,
// and a Content-Security-Policy meta tag, so the site keeps to a strict policy even on a host
// that sends no headers (`serve.ts` sends the same policy as a header).

/** The policy of every page: nothing inline, nothing from elsewhere, Trusted Types enforced. */
export const SITE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html dompurify',
].join('; ');

export interface NavEntry {
  file: string;
  title: string;
}

/** The order of the sidebar; a site owner reads top to bottom. */
export const NAV: readonly NavEntry[] = [
  { file: 'index.html', title: 'Getting started' },
  { file: 'configurator.html', title: 'Configurator' },
  { file: 'theming.html', title: 'Theming' },
  { file: 'components.html', title: 'Component reference' },
  { file: 'protocol.html', title: 'HTTP API reference' },
  { file: 'protocol-guide.html', title: 'Protocol guide' },
  { file: 'self-hosting.html', title: 'Self-hosting' },
  { file: 'import.html', title: 'Importing comments' },
  { file: 'data-rights.html', title: 'Export and data rights' },
  { file: 'adapters.html', title: 'Storage adapters' },
  { file: 'examples.html', title: 'Framework examples' },
];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export interface PageInput {
  file: string;
  title: string;
  /** One sentence for search results and link previews. */
  description: string;
  /** The page's main content, already HTML. */
  body: string;
}

/** Code blocks may scroll sideways; keyboard users must be able to reach and scroll them. */
function focusableCode(html: string): string {
  return html.replace(/<pre(?=[\s>])(?![^>]*tabindex)/g, '<pre tabindex="0"');
}

export function renderPage({ file, title, description, body }: PageInput): string {
  const nav = NAV.map(
    (entry) =>
      `<li><a href="${entry.file}"${entry.file === file ? ' aria-current="page"' : ''}>${escapeHtml(entry.title)}</a></li>`,
  ).join('\n        ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="Content-Security-Policy" content="${SITE_CSP}">
    <title>${escapeHtml(title)} · Colloquy</title>
    <meta name="description" content="${escapeHtml(description)}">
    <link rel="icon" href="assets/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="assets/site.css">
    <script type="module" src="assets/site.js"></script>
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <a class="brand" href="index.html"><span class="logo" aria-hidden="true">❝</span> Colloquy</a>
      <span class="tagline">Embeddable, moderated, accessible comments</span>
    </header>
    <div class="layout">
      <nav class="side" aria-label="Documentation">
        <ul>
        ${nav}
        </ul>
      </nav>
      <main id="main">
${focusableCode(body)}
      </main>
    </div>
    <footer class="bottom">Colloquy is MIT-licensed. No ads, no trackers, no third-party requests — this site included.</footer>
  </body>
</html>
`;
}
