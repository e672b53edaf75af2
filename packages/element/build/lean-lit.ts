// Build-time trim of Lit for embed.js. See docs/decisions/0008-embed-size.md.
import type { Plugin } from 'vite';

/**
 * Exact pieces of Lit's production modules that embed.js never needs, by module:
 * - the version registries (`litHtmlVersions` and the like), which only Lit's development
 *   build of another copy reads, to warn that several copies share a page;
 * - decorator support (`addInitializer`, `Symbol.metadata` and the property metadata it
 *   carries): the elements declare `static properties`, and no decorator runs on them;
 * - the polyfill and hydration hooks, which call `@webcomponents/polyfill-support` (ShadyDOM
 *   and ShadyCSS, for browsers without shadow DOM) or `lit/experimental-hydrate-support` (server
 *   rendering) when a page has loaded them: embed.js targets ES2022, whose browsers all have
 *   shadow DOM, and its elements are never rendered on a server;
 * - the English of the errors Lit throws when it is misused (a forged template strings array,
 *   a value in a `css` template that is not one, `repeat` outside text): the widget's templates
 *   are fixed at build time, so these are developer messages like the core's (the errors are
 *   still thrown, without words);
 * - of lit-html's private exports (`_$LH`), all but the `ChildPart` class (`I`), the one that
 *   `directive-helpers.js` (used by `repeat`) reads; the others serve server rendering only.
 * Each piece must match Lit's source exactly, once: an upgrade that moves them fails the build.
 */
const EDITS: Array<{ module: RegExp; pieces: Array<[string, string]> }> = [
  {
    module: /[\\/]lit-html[\\/]lit-html\.js$/,
    pieces: [
      ['throw Error("invalid template strings array")', 'throw Error()'],
      ['j={M:h,P:o,A:n,C:1,L:N,R,D:d,V:M,I:k,H,N:L,U:z,B:I,F:Z},', 'j={I:k},'],
      [',B=t.litHtmlPolyfillSupport;B?.(S,k),(t.litHtmlVersions??=[]).push("3.3.3");', ';'],
    ],
  },
  {
    module: /[\\/]@lit[\\/]reactive-element[\\/]reactive-element\.js$/,
    pieces: [
      [',p=a.reactiveElementPolyfillSupport,', ','],
      [',p?.({ReactiveElement:y}),(a.reactiveElementVersions??=[]).push("2.1.2");', ';'],
      ['Symbol.metadata??=Symbol("metadata"),a.litPropertyMetadata??=new WeakMap;', ''],
      ['static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}', ''],
      ['void 0!==t.l&&(this.l=[...t.l]),', ''],
      [',this.constructor.l?.forEach(t=>t(this))', ''],
      ['const t=this[Symbol.metadata];if(null!==t){const s=litPropertyMetadata.get(t);if(void 0!==s)for(const[t,i]of s)this.elementProperties.set(t,i)}', ''],
    ],
  },
  {
    module: /[\\/]@lit[\\/]reactive-element[\\/]css-tag\.js$/,
    pieces: [
      ['throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.")', 'throw Error()'],
      [
        `throw Error("Value passed to 'css' function must be a 'css' function result: "+t+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")`,
        'throw Error()',
      ],
    ],
  },
  {
    module: /[\\/]lit-html[\\/]directives[\\/]repeat\.js$/,
    pieces: [['throw Error("repeat() can only be used in text expressions")', 'throw Error()']],
  },
  {
    module: /[\\/]lit-element[\\/]lit-element\.js$/,
    pieces: [
      [',s.litElementHydrateSupport?.({LitElement:i});const o=s.litElementPolyfillSupport;o?.({LitElement:i});', ';'],
      [';(s.litElementVersions??=[]).push("4.2.2");', ';'],
    ],
  },
];

export function leanLitSource(id: string, source: string): string {
  let output = source;
  for (const { module, pieces } of EDITS) {
    if (!module.test(id)) continue;
    for (const [piece, replacement] of pieces) {
      if (output.split(piece).length !== 2) throw new Error(`lean-lit: Lit no longer contains ${JSON.stringify(piece)} exactly once; review the trim before upgrading.`);
      output = output.replace(piece, replacement);
    }
  }
  return output;
}

export function leanLit(): Plugin {
  const trimmed = new Set<RegExp>();
  return {
    name: 'colloquy:lean-lit',
    enforce: 'pre',
    buildStart() {
      trimmed.clear();
    },
    buildEnd(error) {
      // A module moved or renamed in a Lit release would otherwise be bundled untrimmed.
      const missed = EDITS.filter(({ module }) => !trimmed.has(module));
      if (!error && missed.length > 0) this.error(`lean-lit: ${missed.map(({ module }) => module).join(', ')} not found; review the trim before upgrading.`);
    },
    transform: {
      filter: { id: /[\\/](?:lit-html[\\/](?:lit-html|directives[\\/]repeat)|@lit[\\/]reactive-element[\\/](?:reactive-element|css-tag)|lit-element[\\/]lit-element)\.js$/ },
      handler(code, id) {
        try {
          for (const { module } of EDITS) if (module.test(id)) trimmed.add(module);
          return { code: leanLitSource(id, code), map: null };
        } catch (error) {
          return this.error(error as Error);
        }
      },
    },
  };
}
