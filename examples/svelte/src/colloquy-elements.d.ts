// <colloquy-thread> in Svelte markup: Svelte 5 sets these as properties on the element and
// turns `oncolloquy-…` attributes into listeners for the element's typed events.
import type { HTMLAttributes } from 'svelte/elements';
import type { ColloquyErrorEvent, ColloquyPostedEvent, ColloquyReportedEvent, ColloquyThread } from '@colloquy/element';

declare module 'svelte/elements' {
  export interface SvelteHTMLElements {
    'colloquy-thread': HTMLAttributes<ColloquyThread> & {
      thread?: string;
      sort?: 'oldest' | 'newest' | 'top';
      theme?: 'auto' | 'light' | 'dark';
      adapter?: ColloquyThread['adapter'];
      'oncolloquy-posted'?: (event: ColloquyPostedEvent) => void;
      'oncolloquy-reported'?: (event: ColloquyReportedEvent) => void;
      'oncolloquy-error'?: (event: ColloquyErrorEvent) => void;
    };
  }
}

export {};
