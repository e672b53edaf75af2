// The conformance suite: registers one test per rule group with the runner the caller passes
// in. The rules and their ids are in rules.ts and docs/adapters.md.
import { createHarness } from './harness.js';
import { closedThreadRules } from './rules-closed.js';
import { contractRules } from './rules-contract.js';
import { helpfulRules } from './rules-helpful.js';
import { listingRules } from './rules-listing.js';
import { pinRules } from './rules-pins.js';
import { previewRules } from './rules-preview.js';
import { textAndLiveRules } from './rules-text-live.js';
import { writeRules } from './rules-writes.js';
import type { AdapterSuiteOptions } from './types.js';

export type { AdapterSuiteOptions, ConnectOptions, RawAccess, RawComment, SuiteContext } from './types.js';

export function runAdapterSuite(options: AdapterSuiteOptions): void {
  const harness = createHarness(options);
  options.describe(options.name, () => {
    contractRules(harness);
    listingRules(harness);
    writeRules(harness);
    textAndLiveRules(harness);
    closedThreadRules(harness);
    helpfulRules(harness);
    pinRules(harness);
    previewRules(harness);
  });
}
