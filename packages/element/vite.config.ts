// Builds dist/embed.js: one minified ES module with Lit, DOMPurify, the REST adapter and the
// styles inside (Lit's styles are adopted stylesheets, so no CSS file and no inline styles).
// Size measures (budget 32 KB gzip, `node bench/embed-size.mjs`): docs/decisions/0008-embed-size.md.
import { bundleConfig } from './build/bundle-config.js';
import { leanDompurify } from './build/lean-dompurify.js';
import { leanLit } from './build/lean-lit.js';
import { minifyTemplates } from './build/minify-templates.js';
import { stripErrorMessages } from './build/strip-error-messages.js';

export default bundleConfig('src/embed.ts', 'embed.js', [
  leanDompurify(),
  leanLit(),
  minifyTemplates({ include: /[\\/]packages[\\/]element[\\/]src[\\/].*\.ts$/ }),
  stripErrorMessages({ include: /[\\/]packages[\\/](?:core|adapter-rest|element)[\\/]src[\\/].*\.ts$/ }),
]);
