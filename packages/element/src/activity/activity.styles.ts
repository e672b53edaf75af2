import { css } from 'lit';

// Logical properties only, so a right-to-left page mirrors the list.
export const activityStyles = css`
  :host {
    display: block;
    color: var(--colloquy-color, inherit);
    font: inherit;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.5em 1em;
  }
  h2 {
    font-size: 1.1em;
    margin: 0;
  }
  ul {
    list-style: none;
    margin: 0.75em 0;
    padding: 0;
  }
  li {
    padding-block: 0.5em;
    padding-inline-start: 0.75em;
    border-inline-start: 3px solid transparent;
    border-block-end: 1px solid color-mix(in srgb, currentColor 15%, transparent);
  }
  li.unread {
    border-inline-start-color: var(--colloquy-accent, #1a56db);
  }
  li a {
    /* The whole line is the target, and the screen-reader-only word stays inside its box. */
    display: block;
    position: relative;
  }
  li.unread a {
    font-weight: 600;
  }
  .excerpt {
    margin: 0.25em 0;
    overflow-wrap: anywhere;
  }
  time {
    font-size: 0.875em;
    opacity: 0.8;
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  a:focus-visible,
  button:focus-visible {
    outline: 2px solid var(--colloquy-accent, #1a56db);
    outline-offset: 2px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
