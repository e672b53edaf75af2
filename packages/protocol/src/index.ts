// @colloquy/protocol: every shape of the v1 HTTP protocol as a TypeBox schema, and its
// TypeScript type derived with `Static<>`. The server validates requests and answers and
// builds its OpenAPI document from these objects; browser code imports the types only
// (`import type`), and the literal lists from `@colloquy/protocol/constants`.
export * from './constants.js';
export * from './common.js';
export * from './reader.js';
export * from './moderation.js';
export * from './data-rights.js';
export * from './check.js';
export * from './mail.js';
export * from './sign-in.js';
export * from './activity.js';
