export { createMemoryAdapter } from './memory-adapter.js';
export type { IdentityHolder, MemoryAdapter, MemoryAdapterOptions } from './memory-adapter.js';
export { createMemoryStore } from './store.js';
export type {
  CreateResult,
  MemoryStore,
  MemoryStoreOptions,
  MemoryStoreRaw,
  StoredComment,
  StoredReport,
  StoreData,
  StorePersistence,
} from './store.js';
export type { StoredMark } from './helpful.js';
