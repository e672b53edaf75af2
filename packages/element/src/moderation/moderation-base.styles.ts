import { css } from 'lit';

/** What the queue, the audit log and the ban list look like alike: type, badges, lists. */
export const moderationBaseStyles = css`
  :host {
    display: block;
    line-height: 1.5;
  }
  :host([hidden]) {
    display: none;
  }
  h2 {
    margin: 0;
    font-size: 1.35em;
  }
  h3,
  h4 {
    margin: 0;
  }
  h3 {
    font-size: 1.05em;
  }
  h4 {
    font-size: 0.95em;
  }
  p {
    margin: 0;
  }
  .muted {
    color: var(--_muted);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    justify-content: flex-end;
  }
  button[aria-disabled='true'] {
    cursor: default;
    opacity: 0.7;
  }
  ol,
  ul {
    margin: 0;
    padding-inline-start: 1.25rem;
  }
  .author {
    font-weight: 600;
  }
  .badge {
    font-size: 0.8em;
    padding-inline: 0.5em;
    border-radius: 1em;
    border: 1px solid var(--_border);
    background: var(--_surface);
  }
  .badge.danger {
    color: var(--_danger);
    border-color: currentColor;
  }
  .thread-key {
    font-family: ui-monospace, monospace;
    font-size: 0.9em;
  }
`;
