export { runAdapterSuite } from './suite.js';
export type { AdapterSuiteOptions, ConnectOptions, RawAccess, RawComment, SuiteContext } from './suite.js';
