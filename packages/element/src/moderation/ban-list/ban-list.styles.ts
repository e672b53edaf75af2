import { css } from 'lit';
import { sharedStyles, themeStyles } from '../../styles/shared.styles.js';
import { moderationBaseStyles } from '../moderation-base.styles.js';

export const banListStyles = [
  sharedStyles,
  themeStyles,
  moderationBaseStyles,
  css`
    .bans,
    .range-form {
      display: grid;
      gap: 0.5rem;
    }
    .bans {
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      padding: var(--_space);
      background: var(--_bg);
    }
    .ban-list li {
      margin-block: 0.25rem;
    }
    .range-form input {
      font: inherit;
      color: inherit;
      max-inline-size: 28rem;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) / 1.5);
      background: var(--_bg);
      padding: 0.35rem 0.5rem;
    }
    .range-form label {
      font-weight: 600;
    }
    .range-form .row {
      justify-content: flex-start;
    }
  `,
];
