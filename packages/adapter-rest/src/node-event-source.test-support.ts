// Node 20 has no EventSource; the tests borrow the `eventsource` package's. It is loaded by a
// computed specifier because that package publishes raw TypeScript under the `source` export
// condition, which this workspace's typecheck enables and which does not compile here.
import type { EventSourceConstructor } from './rest-adapter.js';

const specifier = 'eventsource';
const loaded = (await import(specifier)) as { EventSource: EventSourceConstructor };

export const NodeEventSource: EventSourceConstructor = loaded.EventSource;
