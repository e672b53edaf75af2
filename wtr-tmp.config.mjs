import base from '/work/wt/a11y/web-test-runner.config.mjs';
export default { ...base, testsFinishTimeout: 90_000 };
