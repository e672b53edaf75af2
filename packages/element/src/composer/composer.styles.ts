import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.js';

export const composerStyles = [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    form {
      display: grid;
      gap: 0.5rem;
    }
    label {
      font-weight: 600;
    }
    .hint,
    .counter {
      color: var(--_muted);
      font-size: 0.875em;
    }
    input,
    textarea {
      box-sizing: border-box;
      inline-size: 100%;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) / 1.5);
      background: var(--_bg);
      padding: 0.5rem;
    }
    textarea {
      min-block-size: 5.5em;
      resize: vertical;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
    }
    .counter {
      margin-inline-start: auto;
    }
  `,
];
