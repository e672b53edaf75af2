// Property-based fuzzing of every route, longer than the CI run (packages/server/src/fuzz.test.ts):
// hostile requests from every kind of caller against a real server on SQLite and PostgreSQL.
// Prints the requests sent, the statuses seen and each route's failure with its shrunk
// counterexample; exits 1 if any property failed.
//   node --conditions=colloquy-source --import tsx bench/fuzz-endpoints.mjs [seed] [runs per route] [sqlite|postgres|both]
// The seed defaults to the CI run's (20261202); a failure names the seed to replay it with.
import { startFuzzFixture, fuzzEndpoints } from '../packages/server/src/fuzz/harness.ts';
import { sharedRenderer, tempPostgres, tempSqlite } from '../packages/server/src/test-support.ts';

const seed = Number(process.argv[2] ?? 20261202);
const runs = Number(process.argv[3] ?? 500);
const which = process.argv[4] ?? 'both';
if (!Number.isInteger(seed) || !Number.isInteger(runs) || runs < 1 || !['sqlite', 'postgres', 'both'].includes(which)) {
  console.error('usage: fuzz-endpoints.mjs [seed] [runs per route] [sqlite|postgres|both]');
  process.exit(2);
}

let failed = false;
for (const [name, make] of [['sqlite', tempSqlite], ['postgres', tempPostgres]]) {
  if (which !== 'both' && which !== name) continue;
  const fixture = await startFuzzFixture(make());
  const started = performance.now();
  try {
    if (fixture.undocumented.length) {
      failed = true;
      console.log(`${name}: routes missing from the OpenAPI document (not fuzzed with schemas): ${fixture.undocumented.join(', ')}`);
    }
    const stats = await fuzzEndpoints(fixture, { seed, runs });
    const seconds = (performance.now() - started) / 1000;
    const statuses = [...stats.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ');
    console.log(`${name}: seed ${seed}, ${fixture.targets.length} routes × ${runs} runs: ${stats.requests} requests in ${seconds.toFixed(1)} s (${(stats.requests / seconds).toFixed(0)}/s)`);
    console.log(`${name}: statuses ${statuses}`);
    console.log(`${name}: ${stats.failures.length} failing routes`);
    for (const failure of stats.failures) {
      failed = true;
      console.log(`  ${failure.target} (seed ${failure.seed}, path ${failure.path}): ${failure.error}\n    ${failure.counterexample}`);
    }
  } finally {
    await fixture.stop();
  }
}
await sharedRenderer().close();
process.exit(failed ? 1 : 0);
