import { noChange } from 'lit';
import { Directive, directive, PartType, type ChildPart, type PartInfo } from 'lit/directive.js';
import type { Comment } from '@colloquy/core';
import type { BodyRenderer, RenderWindow } from './body-renderer.js';

/**
 * Renders a comment body through a `BodyRenderer` and inserts the resulting fragment, only
 * when the body changed: re-sanitizing unchanged bodies on every update would be wasted work,
 * and replacing their nodes would drop a reader's text selection.
 */
class BodyDirective extends Directive {
  private body: string | undefined;
  private html: string | undefined;
  private renderer: BodyRenderer | undefined;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.CHILD) throw new Error('commentBody() belongs in element content.');
  }

  render(_comment: Comment, _renderer: BodyRenderer): unknown {
    return noChange;
  }

  override update(part: ChildPart, [comment, renderer]: [Comment, BodyRenderer]): unknown {
    if (comment.body === this.body && comment.html === this.html && renderer === this.renderer) return noChange;
    this.body = comment.body;
    this.html = comment.html;
    this.renderer = renderer;
    const doc = (part.parentNode as Node).ownerDocument ?? document;
    return renderer(comment, (doc.defaultView ?? window) as RenderWindow);
  }
}

export const commentBody = directive(BodyDirective);
