// The rules every storage adapter keeps, with stable ids. docs/adapters.md lists the same table;
// each test of the suite names the rules it proves in its title (`[R12] …`), so a failure says
// which promise an adapter broke, and the mutation tests can check that every rule is proved.

export interface AdapterRule {
  /** Stable id, `R1`…: never renumbered, never reused. */
  id: string;
  /** The suite's group that proves it. */
  group: string;
  /** The rule, in one sentence. */
  rule: string;
}

export const ADAPTER_RULES: readonly AdapterRule[] = [
  { id: 'R1', group: 'contract', rule: 'Every method returns a Promise, even for malformed input; none throws synchronously.' },
  { id: 'R2', group: 'contract', rule: 'Every rejection is a ColloquyError whose code is one of ERROR_STATUS, with a message for people.' },
  { id: 'R3', group: 'contract', rule: '`capabilities` declares `live` and complete positive `limits`; a live adapter has `subscribe`.' },
  { id: 'R4', group: 'identity', rule: '`getIdentity()` is null until the client has an identity, then answers the one `identify` gave.' },
  { id: 'R5', group: 'identity', rule: 'A nameless identity may report but not post (`name_required`); `identify(name)` names it and keeps its id; a named identity keeps its name.' },
  { id: 'R6', group: 'identity', rule: 'Every `connect()` is a new identity: two clients are two identities.' },
  { id: 'R7', group: 'identity', rule: 'A screen name of up to `maxNameLength` code points is kept; one more is `name_too_long`; a non-string is `invalid_input`.' },
  { id: 'R8', group: 'ordering', rule: '`oldest` (the default) lists by creation, `newest` the reverse.' },
  { id: 'R9', group: 'ordering', rule: '`top` lists by visible replies (deleted ones do not count), ties newest first.' },
  { id: 'R10', group: 'nesting', rule: 'Replies nest under their parent, oldest first, whatever the sort; they are never top-level rows.' },
  { id: 'R11', group: 'ordering', rule: 'An empty or unknown thread is `{comments: [], nextCursor: null, closed: false}`.' },
  { id: 'R12', group: 'paging', rule: 'Paging is keyset: while others write, a reader paging any sort sees no comment twice and misses none.' },
  { id: 'R13', group: 'paging', rule: 'A page holds at most `limit` (1…`maxPageSize`, default 20) comments; `nextCursor` is null exactly on the last page.' },
  { id: 'R14', group: 'paging', rule: 'A bad `limit` or `sort` is `invalid_input`; a cursor the adapter did not make, or made for another sort, is `invalid_cursor`.' },
  { id: 'R15', group: 'create', rule: 'A new comment is the caller’s: its author is the identity, status `visible`, `editedAt` null, `createdAt` an ISO time, no replies.' },
  { id: 'R16', group: 'idempotent create', rule: 'A create retried with the same key answers the first comment and stores one; the key with another comment is `idempotency_conflict`.' },
  { id: 'R17', group: 'nesting', rule: 'A reply to a comment at `limits.maxDepth` is stored beside it (its `parentId` is the deepest comment’s parent).' },
  { id: 'R18', group: 'nesting', rule: 'A reply to a comment that does not exist is `not_found`; to one of another thread, refused; either way nothing is stored.' },
  { id: 'R19', group: 'edit', rule: 'The author’s edit answers and lists the new body with `editedAt` set.' },
  { id: 'R20', group: 'edit', rule: 'Another reader’s edit or delete is `forbidden` and changes nothing.' },
  { id: 'R21', group: 'edit', rule: 'Inside `limits.editWindowSeconds` the author may edit; after it, the author’s edit or delete is `edit_window_closed`.' },
  { id: 'R22', group: 'roles', rule: 'A moderator may edit and delete anyone’s comment; a client `connect({role})` could not give the role is an ordinary reader.' },
  { id: 'R23', group: 'delete', rule: 'Delete answers status `deleted`; a comment without visible replies leaves the listing and the counts; a deleted comment cannot be edited back.' },
  { id: 'R24', group: 'delete', rule: 'A deleted comment with replies keeps its place with status `deleted`, an empty body and author, and its text is gone from storage.' },
  { id: 'R25', group: 'reports', rule: 'One report per identity per comment: a second is `already_reported`; other identities still report.' },
  { id: 'R26', group: 'reports', rule: 'A report with an unknown reason is `invalid_input`; of an unknown or deleted comment, `not_found`.' },
  { id: 'R27', group: 'counts', rule: '`countComments` gives visible comments per thread, replies included and deleted ones not, 0 for unknown threads, to anyone.' },
  { id: 'R28', group: 'text', rule: 'Bodies and names round-trip exactly: no normalisation, no trimming of bodies.' },
  { id: 'R29', group: 'text', rule: 'A body of `maxBodyLength` code points is kept whole; one more is `body_too_long`, on create and on edit.' },
  { id: 'R30', group: 'text', rule: 'Adapters return copies: changing a returned object does not change storage.' },
  { id: 'R31', group: 'errors', rule: 'Editing, deleting or reporting an unknown id is `not_found`.' },
  { id: 'R32', group: 'errors', rule: 'Input of the wrong type or shape is `invalid_input`.' },
  { id: 'R33', group: 'live', rule: 'With `capabilities.live`, `subscribe` delivers other clients’ creates, edits and deletes in that thread only, and nothing after unsubscribing.' },
  { id: 'R34', group: 'ordering', rule: 'Thread keys are canonical (`canonicalThreadKey`): a path key with a trailing slash names the same thread, and comments and counts carry the key without it.' },
  { id: 'R35', group: 'closed threads', rule: 'A closed thread lists and counts as before with `closed: true`; a new comment or reply is `thread_closed` and stores nothing; reopened, it takes comments again.' },
  { id: 'R36', group: 'closed threads', rule: 'In a closed thread the author’s edit is `thread_closed` and changes nothing; the author may still delete; a moderator may still edit.' },
  { id: 'R37', group: 'nesting', rule: 'A reply stored beside the comment it answers (R17) has `replyTo` `{id, name}`: that comment and its author’s name, `null` once it is deleted; a reply under the comment it answers has `replyTo` `null` (or none).' },
  { id: 'R38', group: 'helpful marks', rule: '`markHelpful(id, true)` marks a comment as the reader (a nameless identity is made when there is none) and answers `{commentId, count, mine}`; one mark per identity, idempotent; `false` takes it back; listings give every comment `helpful: {count, mine}`, counting every identity’s mark; with `capabilities.live`, subscribers get a `helpful` event with the new count.' },
  { id: 'R39', group: 'helpful marks', rule: 'Marking an unknown or deleted comment is `not_found`, one’s own comment `forbidden`, a non-boolean `invalid_input`; nothing is marked.' },
  { id: 'R40', group: 'best', rule: '`best` lists top-level comments by their marks decayed by age (decision 0036): more marks first, newest first among equals, marks on replies do not count, and a newer comment passes an older one with more marks once enough time has gone by.' },
  { id: 'R41', group: 'best', rule: 'A `best` listing ranks every page as of its first page: marks made or taken back between pages neither repeat nor skip a comment; a new listing ranks by the marks as they stand; a `best` cursor is not another sort’s.' },
  { id: 'R42', group: 'pins', rule: 'A first page carries `pinned`: the thread’s pinned top-level comments with their replies, most recently pinned first, each with `pinnedAt`, in every sort and to anyone; `comments` leaves them out, and no other comment is marked.' },
  { id: 'R43', group: 'pins', rule: 'Paging any sort, a pinned comment is never listed again (later pages carry no `pinned`) and no other comment is missed; pins change no count.' },
  { id: 'R44', group: 'pins', rule: 'Unpinned, a comment lists in its place in the sort with `pinnedAt` null; deleted, it leaves `pinned` (a placeholder with replies keeps its place in `comments`, unmarked).' },
  { id: 'R45', group: 'pins', rule: 'A thread holds at most its pin limit (3 by default): one more is `pin_limit` and changes nothing, unpinning frees a place, pinning again is a no-op; a reply or a deleted comment is `conflict`.' },
  { id: 'R46', group: 'pins', rule: 'With `capabilities.live`, pinning a comment sends the thread’s subscribers a `pinned` event with the comment and its `pinnedAt`; unpinning it, an `unpinned` event with `pinnedAt` null.' },
  { id: 'R47', group: 'preview', rule: 'An adapter offering `previewHtml(body)` answers the `html` the comment posted with that body then carries, created and listed: the markdown subset rendered, markup typed in the body never as markup; a body posting refuses (empty, only spaces, over `maxBodyLength`) it refuses with the same code.' },
];

/** The title of a test proving `ids`: `[R12 R13] what it shows`. */
export function ruleTitle(ids: readonly string[], title: string): string {
  return `[${ids.join(' ')}] ${title}`;
}

/** The rule ids a suite test's title names (`[R12 R13] …` → `['R12', 'R13']`). */
export function ruleIdsOf(testTitle: string): string[] {
  const match = /^\[((?:R\d+ ?)+)\]/.exec(testTitle);
  return match ? match[1]!.trim().split(' ') : [];
}
