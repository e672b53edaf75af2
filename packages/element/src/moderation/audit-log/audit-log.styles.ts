import { css } from 'lit';
import { sharedStyles, themeStyles } from '../../styles/shared.styles.js';
import { moderationBaseStyles } from '../moderation-base.styles.js';

export const auditLogStyles = [
  sharedStyles,
  themeStyles,
  moderationBaseStyles,
  css`
    .audit {
      display: grid;
      gap: 0.5rem;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      padding: var(--_space);
      background: var(--_bg);
    }
    .audit-header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    .table-scroll {
      overflow-x: auto;
    }
    table {
      border-collapse: collapse;
      inline-size: 100%;
      font-size: 0.95em;
    }
    caption {
      text-align: start;
      color: var(--_muted);
      padding-block-end: 0.25rem;
    }
    th,
    td {
      text-align: start;
      vertical-align: top;
      padding-block: 0.3rem;
      padding-inline: 0.5rem;
      border-block-end: 1px solid var(--_border);
    }
  `,
];
