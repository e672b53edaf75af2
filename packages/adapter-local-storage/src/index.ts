export { createLocalStorageAdapter } from './local-storage-adapter.js';
export type { LocalStorageAdapter, LocalStorageAdapterOptions } from './local-storage-adapter.js';
