// Build-time trim of DOMPurify for embed.js. See docs/decisions/0008-embed-size.md.
import type { Plugin } from 'vite';

/**
 * DOMPurify's built-in element and attribute lists for its default profiles (HTML, SVG,
 * SVG filters, MathML, XML attributes). The widget always passes its own `ALLOWED_TAGS` and
 * `ALLOWED_ATTR` (the core's sanitizer config), so the default profiles are never the
 * allowlist; DOMPurify reads these lists only to build the defaults and, for the SVG and
 * MathML ones, to check that an element's namespace is one a parser could produce.
 */
const PROFILE_LISTS = ['html$1', 'svg$1', 'svgFilters', 'svgDisallowed', 'mathMl$1', 'mathMlDisallowed', 'html', 'svg', 'mathMl', 'xml'];

const escape = (name: string) => name.replace(/\$/g, '\\$');

/**
 * Empties DOMPurify's profile lists in the bundled `purify.es.mjs`. What this changes, with
 * the core's HTML-only allowlist:
 * - tags and attributes: nothing; the allowlist is the core's, checked as before;
 * - namespaces: an element in the SVG or MathML namespace below its root is no longer
 *   recognised as "an SVG or MathML element", so it is removed (it already was: no SVG or
 *   MathML name is on the allowlist); an HTML-namespace element is still removed when its
 *   parent is SVG or MathML content, which is the check mutation-XSS payloads meet;
 * - a DOMPurify call with no config would allow nothing at all (none is made).
 * The build fails if DOMPurify's layout changes, rather than silently shipping the full lists.
 */
export function trimDompurify(source: string): string {
  let output = source;
  for (const name of PROFILE_LISTS) {
    const list = new RegExp(`^const ${escape(name)} = freeze\\(\\[[^\\]]*\\]\\);$`, 'm');
    if (!list.test(output)) {
      throw new Error(`lean-dompurify: DOMPurify no longer declares its ${name} list as expected; review the trim before upgrading.`);
    }
    // Same line count, so the lines after it keep their source-map positions (here and below).
    output = output.replace(list, (match) => `const ${name} = freeze([${lineBreaks(match)}]);`);
  }
  // Two leftovers of DOMPurify's Babel build: an async-generator runtime nothing calls (kept
  // by bundlers because it patches a prototype at load time), and array-destructuring helpers
  // used once, on `Object.entries` pairs, which are arrays already.
  output = replaceOnce(output, /^function AsyncGenerator\(e\) \{\n[\s\S]*?^\}, AsyncGenerator\.prototype\.return = function\(e\) \{\n\treturn this\._invoke\("return", e\);\n\};$/m, lineBreaks);
  output = replaceOnce(output, /_slicedToArray\(_ref2, 2\)/, () => '_ref2');
  if (/\bAsyncGenerator\b|(?<!function )_slicedToArray\(/.test(output)) throw new Error('lean-dompurify: DOMPurify uses its Babel helpers in a new place; review the trim.');
  return output;
}

/**
 * The core sanitizer's configuration (`packages/core/src/sanitize.ts`) for every DOMPurify
 * option `specialiseDompurify` folds to a constant: the value the core passes, or DOMPurify's
 * default for an option it leaves unset. The lean browser test checks this against the core.
 */
export const FOLDED_OPTIONS = {
  SAFE_FOR_TEMPLATES: false,
  SAFE_FOR_XML: true,
  WHOLE_DOCUMENT: false,
  RETURN_DOM: false,
  RETURN_DOM_FRAGMENT: true,
  RETURN_TRUSTED_TYPE: false,
  FORCE_BODY: false,
  SANITIZE_DOM: true,
  SANITIZE_NAMED_PROPS: false,
  KEEP_CONTENT: true,
  IN_PLACE: false,
  USE_PROFILES: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
  PARSER_MEDIA_TYPE: 'text/html',
  NAMESPACE: 'http://www.w3.org/1999/xhtml',
  // Options whose absence is folded: each must stay unset.
  ALLOWED_NAMESPACES: undefined,
  ADD_URI_SAFE_ATTR: undefined,
  ADD_DATA_URI_TAGS: undefined,
  FORBID_CONTENTS: undefined,
  MATHML_TEXT_INTEGRATION_POINTS: undefined,
  HTML_INTEGRATION_POINTS: undefined,
  CUSTOM_ELEMENT_HANDLING: undefined,
  ADD_TAGS: undefined,
  ADD_ATTR: undefined,
  ADD_FORBID_CONTENTS: undefined,
  TRUSTED_TYPES_POLICY: undefined,
} as const;

/**
 * DOMPurify's variables for those options, the expression each becomes, and how many statements
 * assign it once the methods below are gone (any other count fails the build). `RETURN_DOM` is
 * true because `RETURN_DOM_FRAGMENT` implies it. `transformCaseFunc` follows from the HTML
 * parser mode; `SET_CONFIG*` from `setConfig` being left out; `inPlace` and `IN_PLACE_VISITED`
 * from `IN_PLACE`.
 */
const FOLDS: Array<[variable: string, value: string, assignments: number]> = [
  ['SAFE_FOR_TEMPLATES', 'false', 1],
  ['SAFE_FOR_XML', 'true', 1],
  ['WHOLE_DOCUMENT', 'false', 1],
  ['RETURN_DOM', 'true', 1],
  ['RETURN_DOM_FRAGMENT', 'true', 1],
  ['RETURN_TRUSTED_TYPE', 'false', 1],
  ['FORCE_BODY', 'false', 1],
  ['SANITIZE_DOM', 'true', 1],
  ['SANITIZE_NAMED_PROPS', 'false', 1],
  ['KEEP_CONTENT', 'true', 1],
  ['IN_PLACE', 'false', 1],
  ['USE_PROFILES', 'false', 1],
  ['ALLOW_ARIA_ATTR', 'false', 1],
  ['ALLOW_DATA_ATTR', 'false', 1],
  ['ALLOW_UNKNOWN_PROTOCOLS', 'false', 1],
  ['ALLOW_SELF_CLOSE_IN_ATTR', 'false', 1],
  ['PARSER_MEDIA_TYPE', '"text/html"', 1],
  ['transformCaseFunc', 'stringToLowerCase', 1],
  ['NAMESPACE', '"http://www.w3.org/1999/xhtml"', 1],
  ['SET_CONFIG', 'false', 0],
  ['SET_CONFIG_ALLOWED_TAGS', 'null', 0],
  ['SET_CONFIG_ALLOWED_ATTR', 'null', 0],
  ['inPlace', 'false', 0],
  ['IN_PLACE_VISITED', 'null', 2],
];

/** DOMPurify's lookup tables built from unset options: each is its default table. */
const DEFAULT_TABLES = ['ALLOWED_NAMESPACES', 'URI_SAFE_ATTRIBUTES', 'DATA_URI_TAGS', 'FORBID_CONTENTS', 'MATHML_TEXT_INTEGRATION_POINTS', 'HTML_INTEGRATION_POINTS'];

/**
 * Specialises DOMPurify to the core's one configuration (`FOLDED_OPTIONS`), so the minifier
 * drops the paths that configuration never takes: template scrubbing, whole documents,
 * string and Trusted Types output, in-place sanitizing, profiles, the XHTML parser mode,
 * custom elements, `ADD_*` callbacks, custom Trusted Types policies, and the `setConfig`,
 * `clearConfig`, `isValidAttribute` and `removeHook*` methods; the lookup tables built from
 * options the core leaves unset are their defaults. Every check that runs under the core's
 * configuration is left as it is. The result only honours `ALLOWED_TAGS`, `ALLOWED_ATTR`,
 * `ALLOWED_URI_REGEXP`, `FORBID_TAGS` and `FORBID_ATTR` from a call's configuration, and hooks;
 * every other option behaves as in `FOLDED_OPTIONS`, whatever the call passes. Each edit must
 * match exactly, so a DOMPurify release that moves things fails the build.
 */
export function specialiseDompurify(source: string): string {
  const start = source.indexOf('\nfunction createDOMPurify() {\n');
  if (start === -1) throw new Error('lean-dompurify: createDOMPurify() not found; review the specialisation before upgrading.');
  let body = source.slice(start);
  // Methods that change or query the configuration outside sanitize(); the widget calls none.
  body = replaceOnce(body, /^\tDOMPurify\.setConfig = function\(\) \{\n[\s\S]*?^\t\};\n\tDOMPurify\.clearConfig = function\(\) \{\n[\s\S]*?^\t\};\n\tDOMPurify\.isValidAttribute = function\(tag, attr, value\) \{\n[\s\S]*?^\t\};$/m, lineBreaks);
  // Hooks are only ever added (the core's two, once per window).
  body = replaceOnce(body, /^\tDOMPurify\.removeHook = function\(entryPoint, hookFunction\) \{\n[\s\S]*?^\t\};\n\tDOMPurify\.removeHooks = function\(entryPoint\) \{\n[\s\S]*?^\t\};\n\tDOMPurify\.removeAllHooks = function\(\) \{\n[\s\S]*?^\t\};$/m, lineBreaks);
  // Assignments implied by other options, then every folded option's declaration and assignment.
  body = replaceOnce(body, /^\t\tif \(SAFE_FOR_TEMPLATES\) ALLOW_DATA_ATTR = false;$/m, () => '');
  body = replaceOnce(body, /^\t\tif \(RETURN_DOM_FRAGMENT\) RETURN_DOM = true;$/m, () => '');
  for (const [variable, value, assignments] of FOLDS) {
    const declaration = new RegExp(`^\\t+(?:let|const) ${variable} = [^\\n]*;$`, 'm');
    body = replaceOnce(body, declaration, () => '');
    const assignment = new RegExp(`^\\t+${variable} = [^\\n]*;$`, 'gm');
    if ((body.match(assignment) ?? []).length !== assignments) {
      throw new Error(`lean-dompurify: DOMPurify no longer assigns ${variable} ${assignments} time(s); review the specialisation.`);
    }
    body = body.replace(assignment, '');
    const use = new RegExp(`(?<![\\w$."])${variable}(?![\\w$"])`, 'g');
    body = body.replace(use, `(${value})`);
    if (new RegExp(`\\(${escapeRegExp(value)}\\)\\s*(?:=[^=]|\\+\\+|--)`).test(body)) {
      throw new Error(`lean-dompurify: DOMPurify assigns ${variable} in a new place; review the specialisation.`);
    }
  }
  // Custom elements (CUSTOM_ELEMENT_HANDLING unset: no tag or attribute name check matches).
  body = replaceOnce(body, /^\tlet CUSTOM_ELEMENT_HANDLING = null;$/m, () => '');
  body = replaceOnce(body, /^\tconst DEFAULT_CUSTOM_ELEMENT_HANDLING = freeze\(create\(null\)\);$/m, () => '');
  body = replaceOnce(body, /^\t\tconst customElementHandling = [^\n]*\n(?:\t\t(?:if \(objectHasOwnProperty\(customElementHandling|CUSTOM_ELEMENT_HANDLING = )[^\n]*\n){4}\t\tseal\(CUSTOM_ELEMENT_HANDLING\);$/m, lineBreaks);
  body = replaceOnce(body, /^\t\tif \(!FORBID_TAGS\[tagName\] && _isBasicCustomElement\(tagName\) && _matchesNameCheck\(CUSTOM_ELEMENT_HANDLING\.tagNameCheck, tagName\)\) return false;$/m, () => '');
  body = replaceOnce(body, /^\t\tif \(!nameIsPermitted\) return _isBasicCustomElement\(lcTag\) && [^\n]*;$/m, () => '\t\tif (!nameIsPermitted) return false;');
  // ADD_TAGS, ADD_ATTR and ADD_FORBID_CONTENTS unset.
  body = replaceOnce(body, /^\tconst EXTRA_ELEMENT_HANDLING = Object\.seal\(create\(null, \{\n[\s\S]*?^\t\}\)\);$/m, lineBreaks);
  body = replaceOnce(body, /^\t\tEXTRA_ELEMENT_HANDLING\.tagCheck = null;\n\t\tEXTRA_ELEMENT_HANDLING\.attributeCheck = null;\n\t\tif \(objectHasOwnProperty\(cfg, "ADD_TAGS"\)\) \{\n[\s\S]*?^\t\tif \(objectHasOwnProperty\(cfg, "ADD_FORBID_CONTENTS"\)[^\n]*\n[^\n]*\n[^\n]*\n\t\t\}$/m, lineBreaks);
  body = replaceOnce(body, /EXTRA_ELEMENT_HANDLING\.tagCheck instanceof Function && EXTRA_ELEMENT_HANDLING\.tagCheck\(tagName\)/, () => 'false');
  body = replaceOnce(body, /EXTRA_ELEMENT_HANDLING\.attributeCheck instanceof Function && EXTRA_ELEMENT_HANDLING\.attributeCheck\(lcName, lcTag\)/, () => 'false');
  // TRUSTED_TYPES_POLICY unset: DOMPurify's own pass-through policy, when the page has Trusted
  // Types, as before. Only a configured policy's callbacks could call back into sanitize().
  body = replaceOnce(body, /^\t\tif \(cfg\.TRUSTED_TYPES_POLICY\) \{\n[\s\S]*?^\t\t\} else \{\n(\t\t\tif \(trustedTypesPolicy === void 0\) [^\n]*\n\t\t\tif \(trustedTypesPolicy && [^\n]*\n)\t\t\}$/m, (match) => {
    const elseAt = match.lastIndexOf('\t\t} else {\n') + '\t\t} else {\n'.length;
    return lineBreaks(match.slice(0, elseAt)) + match.slice(elseAt, match.length - '\t\t}'.length);
  });
  body = replaceOnce(body, /^\t\tif \(IN_TRUSTED_TYPES_POLICY > 0\) throw typeErrorCreate\("A configured TRUSTED_TYPES_POLICY [^\n]*;$/m, () => '');
  for (const table of DEFAULT_TABLES) {
    body = replaceOnce(body, new RegExp(`^\\tlet ${table} = null;$`, 'm'), () => '');
    body = replaceOnce(body, new RegExp(`^\\t\\t${table} = _resolve(?:Set|Object)Option\\(cfg, "\\w+", DEFAULT_${table}[^;]*;$`, 'm'), lineBreaks);
    body = body.replace(new RegExp(`(?<![\\w$."])${table}(?![\\w$"])`, 'g'), `DEFAULT_${table}`);
    if (new RegExp(`(?<!const )DEFAULT_${table}(?:\\[[^\\]]*\\]|\\.\\w+)?\\s*=[^=]`).test(body)) {
      throw new Error(`lean-dompurify: DOMPurify changes its ${table} table in a new place; review the specialisation.`);
    }
  }
  if (/CUSTOM_ELEMENT_HANDLING|EXTRA_ELEMENT_HANDLING|cfg\.TRUSTED_TYPES_POLICY|ADD_FORBID_CONTENTS"/.test(body.replace(/^\s*\*.*$/gm, ''))) {
    throw new Error('lean-dompurify: DOMPurify reads a folded option in a new place; review the specialisation.');
  }
  // Constants whose only effect is their value: marked pure, so the ones the specialisation
  // left unread (template, data-*, aria-* and custom-element patterns) are dropped.
  const declarations = /^(\t?const [\w$]+ = )(?=(?:seal|freeze|addToSet)\()/gm;
  const output = source.slice(0, start) + body;
  if ((output.match(declarations) ?? []).length < 30) throw new Error('lean-dompurify: DOMPurify no longer declares its constants as expected; review the specialisation.');
  return output.replace(declarations, '$1/* @__PURE__ */ ');
}

/**
 * DOMPurify's English for the errors it throws (input that is not a string, a node it can not
 * detach): developer messages like the core's, which the widget never shows. The errors are
 * still thrown, as `TypeError`s, without words.
 */
export function stripDompurifyMessages(source: string): string {
  const messages = /typeErrorCreate\("(?:[^"\\\n]|\\.)*"\)/g;
  if ((source.match(messages) ?? []).length < 2) throw new Error('lean-dompurify: DOMPurify no longer throws its errors as expected; review the trim before upgrading.');
  return source.replace(messages, 'typeErrorCreate()');
}

/**
 * The hooks the core's sanitizer adds (`addHooks` in `packages/core/src/sanitize.ts`), the only
 * ones any code can add to embed.js's DOMPurify: the instance is the core's own, never handed
 * out. The lean browser test checks this against the hooks the core really adds.
 */
export const CORE_HOOKS = ['uponSanitizeElement'] as const;

/** DOMPurify's other hooks, and how many places run each. */
const UNUSED_HOOKS: Array<[hook: string, calls: number]> = [
  ['beforeSanitizeElements', 1],
  ['afterSanitizeElements', 2],
  ['beforeSanitizeAttributes', 1],
  ['afterSanitizeAttributes', 1],
  ['uponSanitizeAttribute', 1],
  ['beforeSanitizeShadowDOM', 1],
  ['uponSanitizeShadowNode', 2],
  ['afterSanitizeShadowDOM', 1],
];

/**
 * Leaves out the running of hooks nobody can add (an empty list of hooks does nothing when run).
 * Each call is a statement of its own line, matched exactly: a DOMPurify release that moves
 * them fails the build.
 */
export function foldUnusedHooks(source: string): string {
  // With no attribute hook, the allowlist is never copied for one to change (it returns it as is).
  let output = replaceOnce(source, /^\t+ALLOWED_ATTR = _forkSharedAllowlist\(hooks\.uponSanitizeAttribute, ALLOWED_ATTR, [^\n]*\);$/m, () => '');
  for (const [hook, calls] of UNUSED_HOOKS) {
    const call = new RegExp(`^(\\t+)(?:if \\(\\w+\\) )?_executeHooks\\(hooks\\.${hook}, \\w+, \\w+\\);$`, 'gm');
    if ((output.match(call) ?? []).length !== calls) throw new Error(`lean-dompurify: DOMPurify no longer runs its ${hook} hooks in ${calls} place(s); review the fold.`);
    output = output.replace(call, '$1');
    if (output.includes(`hooks.${hook}`)) throw new Error(`lean-dompurify: DOMPurify reads its ${hook} hooks in a new way; review the fold.`);
  }
  return output;
}

/**
 * The hooks map holds the core's hooks only (no other can be added or run), and DOMPurify's
 * record of what it removed (`DOMPurify.removed`, for callers that inspect it; the core does
 * not, and its in-place path, which reads it, is folded away) stays an empty list.
 */
export function dropUnreadState(source: string): string {
  let output = replaceOnce(source, /^const _createHooksMap = function _createHooksMap\(\) \{\n\treturn \{\n((?:\t\t\w+: \[\],?\n){9})\t\};\n\};$/m, (match) =>
    match.replace(/^\t\t(\w+): \[\],?$/gm, (line, hook: string) => ((CORE_HOOKS as readonly string[]).includes(hook) ? `\t\t${hook}: [],` : '')),
  );
  output = replaceOnce(output, /^\t\tarrayPush\(DOMPurify\.removed, \{ element: node \}\);$/m, () => '');
  output = replaceOnce(output, /^\t\tarrayPush\(DOMPurify\.removed, \{\n\t\t\tattribute: attr \|\| null,\n\t\t\tfrom: element\n\t\t\}\);$/m, lineBreaks);
  // The one push left is under SAFE_FOR_TEMPLATES, folded to false.
  return replaceOnce(output, /^\t\tDOMPurify\.removed = \[\];$/m, () => '');
}

/** The build-time changes, as the embed build applies them. */
export function leanDompurifySource(source: string): string {
  return dropUnreadState(foldUnusedHooks(stripDompurifyMessages(specialiseDompurify(trimDompurify(source)))));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lineBreaks(text: string): string {
  return '\n'.repeat(text.split('\n').length - 1);
}

function replaceOnce(source: string, pattern: RegExp, replacement: (match: string) => string): string {
  if (!pattern.test(source)) throw new Error(`lean-dompurify: ${pattern} no longer matches DOMPurify; review the trim before upgrading.`);
  return source.replace(pattern, replacement);
}

export function leanDompurify(): Plugin {
  return {
    name: 'colloquy:lean-dompurify',
    enforce: 'pre',
    transform: {
      filter: { id: /[\\/]dompurify[\\/]dist[\\/]purify\.es\.mjs$/ },
      handler(code) {
        try {
          return { code: leanDompurifySource(code), map: null };
        } catch (error) {
          return this.error(error as Error);
        }
      },
    },
  };
}
