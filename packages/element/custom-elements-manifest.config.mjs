// Generates custom-elements.json from the JSDoc on each element class.
import { readFileSync } from 'node:fs';

/**
 * Internal reactive state is declared in `static properties` as `name: { state: true }`, which
 * has no attribute; the analyzer would list each one as an attribute, so they are dropped here.
 */
function stateIsNotAnAttribute() {
  return {
    name: 'colloquy-state-is-not-an-attribute',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        const source = readFileSync(module.path, 'utf8');
        const states = new Set([...source.matchAll(/^\s+(\w+): \{ state: true \},?$/gm)].map((match) => match[1]));
        for (const declaration of module.declarations ?? []) {
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((attribute) => !states.has(attribute.fieldName));
          for (const member of declaration.members ?? []) if (states.has(member.name)) delete member.attribute;
        }
      }
    },
  };
}
/**
 * Fields marked `@internal` are the element's own state that its parts (src/thread/*.ts) read
 * and set, so they can not be TypeScript-`private`. The analyzer leaves them out, but its Lit
 * support adds back those declared in `static properties`; they are listed as private.
 */
function internalIsPrivate() {
  return {
    name: 'colloquy-internal-is-private',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        const source = readFileSync(module.path, 'utf8');
        const internal = new Set([...source.matchAll(/\/\*\*\s*@internal\b[^]*?\*\/\s*(?:readonly\s+|get\s+)?(\w+)/g)].map((match) => match[1]));
        for (const declaration of module.declarations ?? []) {
          for (const member of declaration.members ?? []) if (internal.has(member.name)) member.privacy = 'private';
        }
      }
    },
  };
}

/** Keeps only the events documented with `@event`; the analyzer also guesses from dispatchEvent calls. */
function documentedEventsOnly() {
  return {
    name: 'colloquy-documented-events-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name && event.description);
        }
      }
    },
  };
}

/** The analyzer lists modules in the order it happens to read them; sorted, builds are byte-identical. */
function modulesInPathOrder() {
  return {
    name: 'colloquy-modules-in-path-order',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  // The thread's parts (templates and handlers taking the element) and the storage helper are
  // internal modules of the element, not API.
  exclude: [
    'src/**/*.test.ts',
    'src/**/*.browser.test.ts',
    'src/**/*.fixture.ts',
    'src/embed.ts',
    'src/page-storage.ts',
    'src/thread/{comment-actions,comment-index,comment-item,feedback,focus,live-arrivals,permalink,posting}.ts',
  ],
  outdir: '.',
  litelement: true,
  plugins: [documentedEventsOnly(), stateIsNotAnAttribute(), internalIsPrivate(), modulesInPathOrder()],
};
