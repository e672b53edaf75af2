import { css, html, nothing, type TemplateResult } from 'lit';
import type { ColloquyThread } from './thread.js';

/**
 * Generated avatars, an on-demand part fetched only by a thread with the `avatars` attribute
 * (decision 0037): a 5×5 pattern, mirrored left to right, in one of six colours, both derived
 * from the author's id. Drawn here as an inline SVG: no image, no font, no request to anyone,
 * and nothing a reader could be told apart by but what the thread already shows (the id is in
 * every comment the protocol sends). Decorative: `aria-hidden`, since the name is beside it.
 */

/** How many colours the palette has (`--colloquy-avatar-color-1` … `-6`). */
export const AVATAR_COLOURS = 6;

const styles = css`
  .avatar {
    flex: none;
    align-self: center;
    inline-size: var(--colloquy-avatar-size, 1.5em);
    block-size: var(--colloquy-avatar-size, 1.5em);
    box-sizing: border-box;
    padding: calc(var(--colloquy-avatar-size, 1.5em) / 8);
    border-radius: var(--colloquy-avatar-radius, calc(var(--_radius) / 2));
    background: var(--colloquy-avatar-background, var(--_surface));
    fill: currentColor;
    shape-rendering: crispEdges;
  }
  .c1 {
    color: var(--colloquy-avatar-color-1, light-dark(#1f5fbf, #8ab4ff));
  }
  .c2 {
    color: var(--colloquy-avatar-color-2, light-dark(#1e7a46, #7fd1a1));
  }
  .c3 {
    color: var(--colloquy-avatar-color-3, light-dark(#7a3fb8, #c9a6ff));
  }
  .c4 {
    color: var(--colloquy-avatar-color-4, light-dark(#a5530a, #ffb37a));
  }
  .c5 {
    color: var(--colloquy-avatar-color-5, light-dark(#0f7480, #72d4de));
  }
  .c6 {
    color: var(--colloquy-avatar-color-6, light-dark(#b3325e, #ff9fbf));
  }
`;

/** 32 well-mixed bits from a string: FNV-1a, then MurmurHash3's finalizer, so ids that differ in one character differ everywhere. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** What an author's avatar is: its colour (1–6) and the SVG path of its filled cells. */
export interface AvatarDrawing {
  colour: number;
  path: string;
}

/**
 * The drawing for an author id: 15 bits fill the three left columns of a 5×5 grid (the right
 * two mirror them), the bits above pick the colour. An empty pattern is inverted, so every
 * avatar shows something.
 */
export function drawAvatar(id: string): AvatarDrawing {
  const h = hash(id);
  const cells = h & 0x7fff || 0x7fff;
  let path = '';
  for (let bit = 0; bit < 15; bit++) {
    if (!(cells & (1 << bit))) continue;
    const row = bit % 5;
    const column = Math.floor(bit / 5);
    path += `M${column} ${row}h1v1h-1z`;
    if (column < 2) path += `M${4 - column} ${row}h1v1h-1z`;
  }
  return { colour: ((h >>> 15) % AVATAR_COLOURS) + 1, path };
}

const drawings = new Map<string, AvatarDrawing>();
const styled = new WeakSet<ShadowRoot>();

/** The author's avatar in a comment's header; nothing for a comment with no known author. */
export function renderAvatar(host: ColloquyThread, id: string): TemplateResult | typeof nothing {
  if (!id) return nothing;
  const root = host.shadowRoot;
  // The styles join the thread's own when the first avatar is drawn (embed.js carries none of them).
  if (root && !styled.has(root) && styles.styleSheet) {
    styled.add(root);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet];
  }
  let drawing = drawings.get(id);
  if (!drawing) {
    if (drawings.size > 5000) drawings.clear();
    drawings.set(id, (drawing = drawAvatar(id)));
  }
  return html`<svg part="avatar" class="avatar c${drawing.colour}" viewBox="0 0 5 5" aria-hidden="true" focusable="false"
    ><path d=${drawing.path}></path
  ></svg>`;
}
