// The widget in a React 19 app: properties (`adapter`, `sort`, `theme`) set from state, and
// the element's typed events handled as props.
import { useState } from 'react';
import '@colloquy/element/define';
import { createLocalStorageAdapter } from '@colloquy/adapter-local-storage';
import type { ColloquyErrorEvent, ColloquyPostedEvent, ColloquyReportedEvent } from '@colloquy/element';

// One adapter for the app's lifetime: comments stay in this browser, no server needed.
const adapter = createLocalStorageAdapter({ namespace: 'colloquy-react-example' });

type Sort = 'oldest' | 'newest' | 'top';
type Theme = 'auto' | 'light' | 'dark';

export function App() {
  const [sort, setSort] = useState<Sort>('oldest');
  const [theme, setTheme] = useState<Theme>('auto');
  const [activity, setActivity] = useState<string[]>([]);
  const log = (line: string) => setActivity((lines) => [...lines, line]);

  return (
    <main>
      <article>
        <h1>Rivers that came back</h1>
        <p>Twenty years after the dams came down, the salmon are spawning upstream again.</p>
      </article>
      <fieldset className="controls">
        <legend>Widget settings (React state)</legend>
        <label>
          Order{' '}
          <select id="sort" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            <option value="oldest">Oldest first</option>
            <option value="newest">Newest first</option>
            <option value="top">Most replies</option>
          </select>
        </label>
        <label>
          Theme{' '}
          <select id="theme" value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            <option value="auto">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      </fieldset>
      <colloquy-thread
        thread="/examples/rivers"
        sort={sort}
        theme={theme}
        adapter={adapter}
        oncolloquy-posted={(event: ColloquyPostedEvent) => log(`Posted by ${event.comment.author.name}: ${event.comment.body}`)}
        oncolloquy-reported={(event: ColloquyReportedEvent) => log(`Reported ${event.commentId} as ${event.reason}`)}
        oncolloquy-error={(event: ColloquyErrorEvent) => log(`Error while ${event.action}: ${event.error.code}`)}
      />
      <section aria-labelledby="activity-heading">
        <h2 id="activity-heading">Activity (from the element’s events)</h2>
        <ul id="activity">
          {activity.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      </section>
    </main>
  );
}
