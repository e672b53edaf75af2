// Helpful marks in a memory store (decision 0036): one open mark per identity per comment, kept
// with the store's sequence numbers of its making and taking back, so a `best` listing can rank
// as of one moment (the first page's) on every page while readers go on marking.
import { bestScore } from '@colloquy/core';
import type { Helpful } from '@colloquy/core';

export interface StoredMark {
  commentId: string;
  identityId: string;
  /** What the mark ranks with. Every identity of a memory store weighs 1: it holds one browser's data. */
  weight: number;
  /** The store's sequence when the mark was made and, once taken back, when. */
  markedSeq: number;
  unmarkedSeq: number | null;
}

/** The open mark of `identityId` on `commentId`, if any. */
export function openMark(marks: readonly StoredMark[], commentId: string, identityId: string): StoredMark | undefined {
  return marks.find((m) => m.commentId === commentId && m.identityId === identityId && m.unmarkedSeq === null);
}

/** What readers see of a comment's marks: every open mark counted, and whether the viewer's is one. */
export function helpfulOf(marks: readonly StoredMark[], commentId: string, viewerId: string | null): Helpful {
  let count = 0;
  let mine = false;
  for (const mark of marks) {
    if (mark.commentId !== commentId || mark.unmarkedSeq !== null) continue;
    count += 1;
    if (mark.identityId === viewerId) mine = true;
  }
  return { count, mine };
}

/** Each comment's `best` score as of (`asOfSeq`, `asOfMs`): the weights of the marks that stood then, decayed by age. */
export function bestScores(
  marks: readonly StoredMark[],
  comments: readonly { id: string; createdAt: string }[],
  asOfSeq: number,
  asOfMs: number,
): Map<string, number> {
  const weights = new Map<string, number>();
  for (const mark of marks) {
    if (mark.markedSeq > asOfSeq || (mark.unmarkedSeq !== null && mark.unmarkedSeq <= asOfSeq)) continue;
    weights.set(mark.commentId, (weights.get(mark.commentId) ?? 0) + mark.weight);
  }
  return new Map(comments.map((c) => [c.id, bestScore(weights.get(c.id) ?? 0, Date.parse(c.createdAt), asOfMs)]));
}
