import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.js';

export const reportDialogStyles = [
  sharedStyles,
  css`
    dialog {
      color: var(--_fg);
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      padding: var(--_space);
      inline-size: min(32rem, calc(100vi - 2rem));
      box-sizing: border-box;
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.45);
    }
    h2 {
      margin-block: 0 0.5rem;
      font-size: 1.25em;
    }
    fieldset {
      border: 0;
      padding: 0;
      margin-block: 0.5rem;
      margin-inline: 0;
      display: grid;
      gap: 0.35rem;
    }
    legend {
      font-weight: 600;
      margin-block-end: 0.25rem;
    }
    .choice {
      display: flex;
      gap: 0.5rem;
      align-items: center;
    }
    .choice input {
      inline-size: 1.1em;
      block-size: 1.1em;
      margin: 0;
    }
    label.details {
      display: block;
      font-weight: 600;
      margin-block-start: 0.5rem;
    }
    textarea {
      box-sizing: border-box;
      inline-size: 100%;
      min-block-size: 4em;
      margin-block-start: 0.25rem;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) / 1.5);
      background: var(--_bg);
      padding: 0.5rem;
    }
    .row {
      display: flex;
      gap: 0.5rem;
      justify-content: flex-end;
      margin-block-start: var(--_space);
    }
  `,
];
