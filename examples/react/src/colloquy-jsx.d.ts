// <colloquy-thread> in JSX: React 19 sets these as properties on the element and turns
// `oncolloquy-…` props into listeners for the element's typed events.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { ColloquyErrorEvent, ColloquyPostedEvent, ColloquyReportedEvent, ColloquyThread } from '@colloquy/element';

type ThreadProps = DetailedHTMLProps<HTMLAttributes<ColloquyThread>, ColloquyThread> & {
  thread?: string;
  sort?: 'oldest' | 'newest' | 'top';
  theme?: 'auto' | 'light' | 'dark';
  lang?: string;
  adapter?: ColloquyThread['adapter'];
  'oncolloquy-posted'?: (event: ColloquyPostedEvent) => void;
  'oncolloquy-reported'?: (event: ColloquyReportedEvent) => void;
  'oncolloquy-error'?: (event: ColloquyErrorEvent) => void;
};

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'colloquy-thread': ThreadProps;
    }
  }
}
