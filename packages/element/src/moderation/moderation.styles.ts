import { css } from 'lit';
import { sharedStyles, themeStyles } from '../styles/shared.styles.js';
import { moderationBaseStyles } from './moderation-base.styles.js';

export const moderationStyles = [
  sharedStyles,
  themeStyles,
  moderationBaseStyles,
  css`
    :host {
      --_highlight: var(--colloquy-highlight, light-dark(#fff4c2, #3d3515));
    }
    .base {
      background: var(--_bg);
      padding: var(--_space);
      border-radius: var(--_radius);
      display: grid;
      gap: var(--_space);
    }
    .header,
    .tools,
    .toolbar,
    .search,
    .bulk,
    .item-header,
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
    }
    .header {
      justify-content: space-between;
    }
    .ban-length {
      display: grid;
      gap: 0.25rem;
      border: 0;
      padding: 0;
      margin: 0;
    }
    .ban-length legend {
      padding: 0;
      margin-block-end: 0.25rem;
    }
    .note-form {
      display: grid;
      gap: 0.25rem;
      justify-items: start;
      margin-block-start: 0.5rem;
    }
    .note-form textarea {
      inline-size: 100%;
      font: inherit;
    }
    .search input {
      min-inline-size: 16rem;
      min-block-size: 2rem;
      font: inherit;
    }
    .search .searching {
      flex-basis: 100%;
      margin: 0;
      font-weight: 600;
    }
    .muted,
    .context-note {
      color: var(--_muted);
    }
    .tabs {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      border-block-end: 2px solid var(--_border);
    }
    .tab {
      border-end-start-radius: 0;
      border-end-end-radius: 0;
      border-block-end: 0;
      margin-block-end: -2px;
      padding-block: 0.5em;
    }
    .tab[aria-selected='true'] {
      background: var(--_bg);
      border-color: var(--_accent);
      border-block-start-width: 3px;
      font-weight: 600;
    }
    .tab-count {
      display: inline-block;
      min-inline-size: 1.5em;
      margin-inline-start: 0.35em;
      padding-inline: 0.4em;
      border-radius: 1em;
      background: var(--_surface);
      border: 1px solid var(--_border);
      font-size: 0.85em;
      text-align: center;
    }
    .panel {
      display: grid;
      gap: var(--_space);
    }
    .toolbar {
      padding: 0.5rem;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
    }
    .toolbar .bulk {
      margin-inline-start: auto;
    }
    .toggle {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
    }
    /* 24 px: the WCAG 2.2 minimum target size. */
    input[type='checkbox'] {
      inline-size: 24px;
      block-size: 24px;
      margin: 0;
    }
    .queue {
      list-style: none;
      padding: 0;
      display: grid;
      gap: var(--_space);
    }
    .item {
      display: grid;
      gap: 0.6rem;
      padding: var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_bg);
    }
    .item:focus-visible,
    .item:focus {
      outline: 3px solid var(--_focus);
      outline-offset: 2px;
    }
    .item.selected {
      background: var(--_highlight);
    }
    /* Marked by its border and note, not by fading: faded muted text fails the 4.5:1 contrast. */
    .item.gone {
      border-style: dashed;
    }
    .status-hidden {
      color: var(--_danger);
      border-color: currentColor;
    }
    .where,
    .context-note,
    p {
      margin: 0;
    }
    a {
      color: var(--_accent);
    }
    .context {
      margin: 0;
      padding: 0.5rem 0.75rem;
      border-inline-start: 3px solid var(--_border);
      background: var(--_surface);
      border-radius: calc(var(--_radius) / 2);
    }
    .context figcaption {
      color: var(--_muted);
      font-size: 0.9em;
    }
    .context blockquote {
      margin: 0.25rem 0 0;
    }
    .body :first-child,
    .context blockquote :first-child {
      margin-block-start: 0;
    }
    .body :last-child,
    .context blockquote :last-child {
      margin-block-end: 0;
    }
    .body {
      overflow-wrap: anywhere;
      font-size: 1.05em;
    }
    .reports,
    .decisions,
    .history,
    .held {
      display: grid;
      gap: 0.25rem;
      border-block-start: 1px solid var(--_border);
      padding-block-start: 0.5rem;
    }
    .groups > li + li {
      margin-block-start: 0.25rem;
    }
    .details {
      list-style: disc;
    }
    .subheading {
      font-weight: 600;
      font-size: 0.9em;
    }
    .snippet {
      overflow-wrap: anywhere;
    }
    kbd {
      font-family: ui-monospace, monospace;
      font-size: 0.8em;
      padding-inline: 0.35em;
      border: 1px solid currentColor;
      border-radius: 0.25em;
      opacity: 0.9;
    }
    .new-items {
      justify-self: center;
    }
    .load-more {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: center;
      gap: calc(var(--_space) * 0.75);
    }
    .load-more .error {
      flex-basis: 100%;
      text-align: center;
    }
    .status {
      margin: 0;
      padding-block: 0.5rem;
    }
    .note {
      color: var(--_muted);
      font-style: italic;
    }
    .shortcuts {
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      padding: var(--_space);
      display: grid;
      gap: 0.5rem;
    }
    .shortcuts dl {
      display: grid;
      gap: 0.25rem;
      margin: 0;
    }
    .shortcuts dl > div {
      display: grid;
      grid-template-columns: minmax(10rem, auto) 1fr;
      gap: 1rem;
    }
    .shortcuts dd {
      margin: 0;
    }
  `,
];
