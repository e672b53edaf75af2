import { css } from 'lit';
import { sharedStyles, themeStyles } from '../styles/shared.styles.js';

export const threadStyles = [
  sharedStyles,
  themeStyles,
  css`
    :host {
      display: block;
      --_indent: var(--colloquy-indent, 1.25rem);
      --_highlight: var(--colloquy-highlight, light-dark(#fff4c2, #3d3515));
      line-height: 1.5;
    }
    .base {
      background: var(--_bg);
      padding: var(--_space);
      border-radius: var(--_radius);
      display: grid;
      gap: var(--_space);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      justify-content: space-between;
      gap: 0.5rem;
    }
    h2 {
      margin: 0;
      font-size: 1.35em;
    }
    .count {
      font-weight: normal;
      color: var(--_muted);
      font-size: 0.8em;
    }
    .sort {
      display: flex;
      gap: 0.5rem;
      align-items: center;
    }
    select {
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) / 1.5);
      background: var(--_bg);
      padding-block: 0.25em;
      padding-inline: 0.5em;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .comments > li + li > .comment {
      border-block-start: 1px solid var(--_border);
      border-start-start-radius: 0;
      border-start-end-radius: 0;
    }
    /* Long threads: branches off screen skip layout and paint until they are scrolled to. That
       clips painting to the item, so it gets room beside the content for focus rings (3px + 2px
       offset) on full-width fields such as a reply's text box. */
    .comments > li {
      content-visibility: auto;
      contain-intrinsic-size: auto 12rem;
      padding-inline: 6px;
      margin-inline: -6px;
    }
    .comment {
      padding-block: 0.75rem;
      border-radius: calc(var(--_radius) / 1.5);
      scroll-margin-block: 4rem;
    }
    .comment.highlighted {
      background: var(--_highlight);
      padding-inline: 0.5rem;
    }
    .comment.pending {
      opacity: 0.75;
    }
    .replies {
      margin-block-start: 0.5rem;
      padding-inline-start: var(--_indent);
      border-inline-start: 2px solid var(--_border);
    }
    /* Past the fourth level the rail stays but the indent stops growing, so text keeps its width. */
    /* The rail of a branch ends with its last reply, not a gap per level below it. */
    .replies > li:last-child > .comment {
      padding-block-end: 0;
    }
    .replies.depth-4 .replies {
      padding-inline-start: 0.5rem;
    }
    .comment-header {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.6rem;
      align-items: baseline;
    }
    .author {
      font-weight: 700;
    }
    .badge {
      font-size: 0.75em;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      padding-inline: 0.5em;
      border-radius: 999px;
      border: 1px solid var(--_accent);
      color: var(--_accent);
    }
    .meta,
    .note,
    .placeholder,
    .reported {
      color: var(--_muted);
      font-size: 0.9em;
    }
    .placeholder {
      font-style: italic;
      margin: 0;
    }
    /* WCAG 2.5.8: a target of at least 24 × 24 px, also in the smaller type of a phone. */
    .permalink {
      color: inherit;
      text-decoration: none;
      display: inline-block;
      min-block-size: 24px;
      min-inline-size: 24px;
      line-height: 24px;
    }
    .own {
      font-size: 0.75em;
      font-weight: 600;
      padding-inline: 0.5em;
      border-radius: 999px;
      background: var(--_surface);
    }
    .in-reply a {
      color: var(--_accent);
    }
    .skip {
      color: var(--_accent);
      justify-self: start;
    }
    .permalink:hover time,
    .permalink:focus-visible time {
      text-decoration: underline;
    }
    /* Keyboard users get the exact time too: a title only shows on hover. */
    .permalink:focus-visible::after {
      content: ' · ' attr(data-exact);
    }
    .body {
      overflow-wrap: anywhere;
    }
    .body :first-child {
      margin-block-start: 0.25rem;
    }
    .body :last-child {
      margin-block-end: 0.25rem;
    }
    .body a {
      color: var(--_accent);
    }
    .body blockquote {
      margin-inline: 0;
      padding-inline-start: 0.75rem;
      border-inline-start: 3px solid var(--_border);
      color: var(--_muted);
    }
    .body pre {
      overflow-x: auto;
      background: var(--_surface);
      padding: 0.5rem;
      border-radius: calc(var(--_radius) / 2);
    }
    .note {
      margin-block: 0.25rem;
    }
    .note.error {
      color: var(--_danger);
    }
    .actions,
    .confirm {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      align-items: center;
      margin-block-start: 0.25rem;
    }
    .actions button.link {
      padding-inline: 0.25em;
    }
    .reported {
      padding-inline: 0.25em;
    }
    .helpful[aria-pressed='true'] {
      font-weight: 600;
    }
    .actions button.link:first-child {
      margin-inline-start: -0.25em;
    }
    .reply-composer,
    #edit-composer {
      margin-block: 0.5rem;
    }
    .toggle {
      margin-block-start: 0.25rem;
      margin-inline-start: -0.4em;
      font-size: 0.9em;
    }
    .status {
      margin: 0;
      color: var(--_muted);
    }
    .status.error {
      color: var(--_danger);
    }
    .new-comments,
    .load-more {
      justify-self: center;
    }
  `,
];
