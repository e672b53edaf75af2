import { css } from 'lit';

/**
 * Tokens and controls shared by every Colloquy element. Each `--colloquy-*` property has a
 * default that works on light and dark pages; `color-scheme` picks the side of `light-dark()`.
 * Only the outer elements set `color-scheme` (see `themeStyles`); parts inside inherit it.
 */
export const sharedStyles = css`
  :host {
    --_fg: var(--colloquy-color, light-dark(#1d1f23, #e8e9ec));
    --_muted: var(--colloquy-muted-color, light-dark(#575c66, #a9aeb8));
    --_bg: var(--colloquy-background, light-dark(#ffffff, #17191d));
    --_surface: var(--colloquy-surface, light-dark(#f4f5f7, #22252b));
    --_border: var(--colloquy-border-color, light-dark(#c9ccd3, #454a54));
    --_accent: var(--colloquy-accent, light-dark(#1f5fbf, #8ab4ff));
    --_accent-fg: var(--colloquy-accent-contrast, light-dark(#ffffff, #0d1117));
    --_danger: var(--colloquy-danger, light-dark(#b3261e, #ffb4ab));
    --_focus: var(--colloquy-focus-ring, light-dark(#1f5fbf, #8ab4ff));
    --_radius: var(--colloquy-radius, 0.5rem);
    --_space: var(--colloquy-spacing, 1rem);
    --_font: var(--colloquy-font-family, inherit);
    font-family: var(--_font);
    color: var(--_fg);
  }
  [hidden] {
    display: none !important;
  }
  button,
  select,
  input,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--_border);
    background: var(--_surface);
    border-radius: calc(var(--_radius) / 1.5);
    padding-block: 0.35em;
    padding-inline: 0.8em;
    min-block-size: 24px;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-fg);
  }
  button.link {
    background: none;
    border-color: transparent;
    color: var(--_accent);
    padding-inline: 0.4em;
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }
  button.danger {
    color: var(--_danger);
  }
  button[disabled] {
    cursor: default;
    opacity: 0.7;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  /* The thread's "Skip comments" link shows only while focused. */
  .visually-hidden,
  .skip:not(:focus) {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .error {
    color: var(--_danger);
  }
`;

/** For elements placed on the page: `auto` follows the reader's preference, `theme` pins one. */
export const themeStyles = css`
  :host {
    color-scheme: light dark;
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
`;
