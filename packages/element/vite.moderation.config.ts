// Builds dist/moderation.js: the moderator's queue as one minified ES module, separate from
// embed.js so the reader's widget keeps its size budget (vite.config.ts builds that one).
import { bundleConfig } from './build/bundle-config.js';

export default bundleConfig('src/moderation-embed.ts', 'moderation.js');
