// Mutation testing of the example adapter: StrykerJS changes map-adapter.ts one mutant at a
// time and runs the conformance suite (src/map-adapter.test.ts) against each. A mutant the
// suite does not fail ("survived") is a change to the adapter no rule check notices. Run it
// with `pnpm --filter @colloquy/example-custom-adapter mutation` (slow: minutes, not part of
// the test command); scripts/mutation-report.mjs then groups the results by rule.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  tap: {
    testFiles: ['src/map-adapter.test.ts'],
    nodeArgs: ['--conditions=colloquy-source', '--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: false,
  },
  mutate: ['src/map-adapter.ts'],
  // Every failing test is recorded, so the report can say which rules killed each mutant.
  disableBail: true,
  coverageAnalysis: 'perTest',
  // The suite's live test waits ~350 ms and several tests post dozens of comments.
  timeoutMS: 20_000,
  concurrency: 2,
  reporters: ['clear-text', 'json', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
