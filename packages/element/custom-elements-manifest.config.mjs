// Generates custom-elements.json from the JSDoc on each element class.
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

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.browser.test.ts', 'src/**/*.fixture.ts', 'src/embed.ts'],
  outdir: '.',
  litelement: true,
  plugins: [documentedEventsOnly()],
};
