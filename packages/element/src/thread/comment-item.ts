import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { countNodes, displayText, type CommentNode, type Identity, type ReplyTo } from '@colloquy/core';
import { commentBody } from '../body/body-directive.js';
import type { BodyRenderer } from '../body/body-renderer.js';
import { avatarPart, closeReply, later, modifyPart, openReply, openReport, postingPart, quoteReply, toggleBranch, toggleHelpful } from './comment-actions.js';
import { rove } from './focus.js';
import type { ColloquyThread } from './thread.js';

/**
 * One comment of the thread as a template (not an element, so a thousand comments stay
 * cheap; see docs/element.md): its header, body or edit composer, notes, actions, the delete
 * confirmation, the reply composer and, folded or not, its replies.
 */

const MODERATING_ROLES = new Set(['moderator', 'staff']);

/** Unicode isolation marks, so a right-to-left name inside a sentence cannot reorder it. */
function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** Whether the reader may edit or delete the comment: a moderator always, its author within the edit window. */
function canModify(host: ColloquyThread, node: CommentNode, identity: Identity | null): boolean {
  const { comment } = node;
  if (!identity || node.local || (comment.status !== 'visible' && comment.status !== 'held')) return false;
  if (MODERATING_ROLES.has(identity.role)) return true;
  if (comment.author.id !== identity.id) return false;
  const windowSeconds = host.limits?.editWindowSeconds ?? 0;
  return host.now.getTime() - Date.parse(comment.createdAt) < windowSeconds * 1000;
}

function renderTime(host: ColloquyThread, iso: string, id: string): TemplateResult {
  const date = new Date(iso);
  const exact = host.localizer.exactTime(date);
  return html`<a part="permalink" class="permalink" href="#comment-${encodeURIComponent(id)}" data-exact=${exact}
    ><time datetime=${iso} title=${exact} dir="auto">${host.localizer.relativeTime(date, host.now)}</time></a
  >`;
}

/**
 * A reply the store placed under another comment than the one it answers (past the depth cap)
 * says whom it answers (`replyTo`), linking to that comment's permalink; a deleted or removed
 * comment answered is not named.
 */
function renderInReplyTo(host: ColloquyThread, to: ReplyTo): TemplateResult {
  const m = host.localizer.messages;
  const [before, after] = m.inReplyTo.split('{name}');
  return html`<p class="note in-reply">
    ${to.name === null
      ? m.inReplyToGone
      : html`${before}<a href="#comment-${encodeURIComponent(to.id)}"><bdi>${displayText(to.name, '—')}</bdi></a>${after}`}
  </p>`;
}

export function renderComment(
  host: ColloquyThread,
  node: CommentNode,
  identity: Identity | null,
  renderer: BodyRenderer,
): TemplateResult {
  const { localizer } = host;
  const m = localizer.messages;
  const { comment } = node;
  const id = comment.id;
  const placeholder = comment.status === 'deleted' || comment.status === 'hidden';
  const reported = node.reported || host.reportedHere.has(id);
  const mine = !!identity && comment.author.id === identity.id;
  const failed = node.local?.state === 'failed';
  const pending = node.local?.state === 'pending';
  const replies = countNodes(node.children);
  const isCollapsed = host.collapsed.has(id);
  const role = comment.author.role;
  const partName = `comment${host.highlighted === id ? ' comment-highlighted' : ''}`;
  const own = host.ownPosts.includes(node.local?.localId ?? id);
  return html`<li>
    <article
      id="comment-${id}"
      part=${partName}
      class="comment ${pending ? 'pending' : ''} ${host.highlighted === id ? 'highlighted' : ''}"
      tabindex="-1"
      aria-labelledby=${placeholder ? nothing : `author-${id}`}
      aria-label=${placeholder ? (comment.status === 'deleted' ? m.deletedComment : m.hiddenComment) : nothing}
      aria-busy=${pending ? 'true' : nothing}
    >
      ${placeholder
        ? html`<p class="placeholder" part="body">
            ${comment.status === 'deleted' ? m.deletedComment : m.hiddenComment}
          </p>`
        : html`<header part="header" class="comment-header">
              ${host.avatars ? avatarPart(host)?.renderAvatar(host, comment.author.id) : nothing}
              ${comment.pinnedAt ? html`<span part="pinned" class="badge">${m.pinned}</span>` : nothing}
              ${own ? html`<span part="own" class="own">${m.yourComment}</span>` : nothing}
              <bdi part="author" class="author" id="author-${id}">${displayText(comment.author.name, '—')}</bdi>
              ${role !== 'reader'
                ? html`<span part="badge badge-${role}" class="badge badge-${role}">${m.roles[role]}</span>`
                : nothing}
              <span part="meta" class="meta">
                ${renderTime(host, comment.createdAt, id)}
                ${comment.editedAt
                  ? html`<span class="edited" title=${localizer.exactTime(new Date(comment.editedAt))}
                      >(${m.edited})</span
                    >`
                  : nothing}
              </span>
            </header>
            ${comment.replyTo ? renderInReplyTo(host, comment.replyTo) : nothing}
            ${host.editing === id
              ? modifyPart()!.renderEditor(host, node)
              : html`<div part="body" class="body" dir="auto">${commentBody(comment, renderer)}</div>`}
            ${comment.status === 'held' && mine ? html`<p class="note">${m.heldComment}</p>` : nothing}
            ${pending ? html`<p class="note" role="status">${m.pending}</p>` : nothing}
            ${failed
              ? html`<div class="note error" role="alert">
                  ${m.failed} ${node.local?.error ? localizer.error(node.local.error) : ''}
                </div>`
              : nothing}
            ${renderActions(host, node, identity, reported, failed, pending)}`}
      ${host.confirmingDelete === id ? modifyPart()!.renderConfirm(host, id) : nothing}
      ${host.actionErrors.has(id) ? html`<p class="error" role="alert">${host.actionErrors.get(id)}</p>` : nothing}
      ${host.replyTo === id ? (postingPart()?.renderReplyComposer(host, node, identity) ?? nothing) : nothing}
      ${replies > 0
        ? html`<button
              part="toggle"
              class="link toggle"
              aria-expanded=${isCollapsed ? 'false' : 'true'}
              aria-controls="replies-${id}"
              @click=${() => toggleBranch(host, id)}
            >
              ${localizer.plural(isCollapsed ? m.expand : m.collapse, replies)}
            </button>
            <ol part="replies" class="replies depth-${Math.min(node.depth + 1, 4)}" id="replies-${id}" ?hidden=${isCollapsed}>
              ${isCollapsed
                ? nothing
                : repeat(
                    node.children,
                    (child) => child.local?.localId ?? child.comment.id,
                    (child) => renderComment(host, child, identity, renderer),
                  )}
            </ol>`
        : nothing}
    </article>
  </li>`;
}

function renderActions(
  host: ColloquyThread,
  node: CommentNode,
  identity: Identity | null,
  reported: boolean,
  failed: boolean,
  pending: boolean,
): TemplateResult | typeof nothing {
  const { localizer } = host;
  const m = localizer.messages;
  const id = node.comment.id;
  if (pending) return nothing;
  // One Tab stop per comment's actions: arrow keys move within (focus.ts `rove`).
  const toolbar = (content: TemplateResult) => html`<div
    part="actions"
    class="actions"
    role="toolbar"
    aria-label=${localizer.format(m.actions, { name: isolate(displayText(node.comment.author.name, '—')) })}
    @keydown=${rove}
  >
    ${content}
  </div>`;
  const closed = host.controller.snapshot?.closed;
  const mine = !!identity && node.comment.author.id === identity.id;
  // In a closed thread Reply is gone: Helpful leads (the Tab stop), or on one's own comment each button stays a Tab stop.
  const after = closed && mine ? nothing : '-1';
  if (failed) {
    // Refused because the thread closed: the text stays on screen to copy, and nothing can send it.
    if (node.local?.error?.code === 'thread_closed') return nothing;
    // Retry only where repeating can succeed (offline, timeout, 429, 5xx); not for a ban, a
    // refusal or a text the server rejects: those offer Edit and Discard.
    return node.local?.error?.retryable === false
      ? toolbar(html`<button @click=${() => later(host, id, (part) => part.takeBack(host, node))}>${m.edit}</button>
          <button tabindex="-1" @click=${() => later(host, id, (part) => part.discardFailed(host, node))}>${m.discard}</button>`)
      : toolbar(html`<button class="primary" @click=${() => later(host, id, (part) => part.retry(host, node))}>${m.retry}</button>
          <button tabindex="-1" @click=${() => later(host, id, (part) => part.takeBack(host, node))}>${m.edit}</button>`);
  }
  const modifiable = canModify(host, node, identity);
  const marks = node.comment.helpful;
  const count = marks?.count ? html` <span class="n">${marks.count}</span>` : nothing;
  return toolbar(html`
    ${closed
      ? nothing
      : html`<button class="link" data-reply-for=${id} aria-expanded=${host.replyTo === id ? 'true' : 'false'} @click=${() =>
          host.replyTo === id ? closeReply(host) : openReply(host, id)}>
          ${m.reply}
        </button>
        <button class="link" tabindex="-1" data-quote-for=${id} @mousedown=${(event: Event) => event.preventDefault()} @click=${() => quoteReply(host, node)}>
          ${m.quote}
        </button>`}
    ${mine
      ? marks?.count ? html`<span class="reported">${m.helpful}${count}</span>` : nothing
      : html`<button class="link helpful" tabindex=${closed ? nothing : '-1'} aria-pressed=${marks?.mine ? 'true' : 'false'} data-helpful-for=${id} @click=${() => toggleHelpful(host, node)}>
          ${m.helpful}${count}
        </button>`}
    ${mine
      ? nothing
      : reported
        ? html`<span class="reported" tabindex="-1" data-reported-for=${id}>${m.reported}</span>`
        : html`<button
            class="link"
            tabindex=${after}
            data-report-for=${id}
            aria-haspopup="dialog"
            @click=${() => void openReport(host, id)}
          >
            ${m.report}
          </button>`}
    ${modifiable
      ? html`${closed && !MODERATING_ROLES.has(identity!.role)
            ? nothing
            : html`<button class="link" tabindex=${after} data-edit-for=${id} @click=${() => later(host, id, (part) => part.openEdit(host, id))}>${m.edit}</button>`}
          <button class="link danger" tabindex=${after} data-delete-for=${id} @click=${() => later(host, id, (part) => part.askDelete(host, id))}>
            ${m.delete}
          </button>`
      : nothing}
  `);
}
