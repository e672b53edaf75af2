// Builds dist/activity.js: <colloquy-activity> as one minified ES module, separate from embed.js,
// which does not grow (docs/decisions/0035).
import { bundleConfig } from './build/bundle-config.js';
import { minifyTemplates } from './build/minify-templates.js';

export default bundleConfig('src/activity-embed.ts', 'activity.js', [minifyTemplates({ include: /[\\/]packages[\\/]element[\\/]src[\\/]activity[\\/].*\.ts$/ })]);
