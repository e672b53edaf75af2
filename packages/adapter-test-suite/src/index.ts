export { runAdapterSuite } from './suite.js';
export type { AdapterSuiteOptions, ConnectOptions, RawAccess, RawComment, SuiteContext } from './suite.js';
export { ADAPTER_RULES, ruleIdsOf } from './rules.js';
export type { AdapterRule } from './rules.js';
