import { css } from 'lit';
import { sharedStyles } from '../../styles/shared.styles.js';

export const reasonDialogStyles = [
  sharedStyles,
  css`
    :host {
      line-height: 1.5;
    }
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
    form {
      display: grid;
      gap: 0.5rem;
    }
    h3,
    p {
      margin: 0;
    }
    h3 {
      font-size: 1.05em;
    }
    label {
      font-weight: 600;
    }
    textarea {
      box-sizing: border-box;
      inline-size: 100%;
      min-block-size: 4em;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) / 1.5);
      background: var(--_bg);
      padding: 0.5rem;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
      justify-content: flex-end;
    }
    button.danger-fill {
      background: var(--_danger);
      border-color: var(--_danger);
      color: var(--_bg);
    }
  `,
];
