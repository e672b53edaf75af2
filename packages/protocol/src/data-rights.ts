import { Type, type Static } from '@sinclair/typebox';
import { ERASURE_MODES } from './constants.js';
import { Nullable, Timestamp, literals } from './builders.js';
import { CommentStatusSchema, RoleSchema } from './common.js';
import { ReportReasonSchema } from './reader.js';

/* A reader's own data: the export (`GET /me/export`) and erasure (`DELETE /me`) answers. */

export const ErasureModeSchema = literals(ERASURE_MODES);

export const ReaderExportResponse = Type.Object(
  {
    format: Type.Literal('colloquy-reader-export'),
    version: Type.Integer({ description: 'Changes only when the layout of this document does.' }),
    exportedAt: Timestamp(),
    identity: Type.Object({
      id: Type.String(),
      kind: Type.String({ description: 'pseudonymous or jwt' }),
      name: Nullable(Type.String()),
      role: RoleSchema,
      banned: Type.Boolean(),
      createdAt: Timestamp(),
      subject: Nullable(Type.String(), { description: 'The host site’s `sub`, for a JWT identity.' }),
      email: Nullable(Type.String()),
      url: Nullable(Type.String()),
    }),
    comments: Type.Array(
      Type.Object({
        id: Type.String(),
        thread: Type.String(),
        parentId: Nullable(Type.String()),
        replyToId: Nullable(Type.String(), { description: 'The comment answered, when the depth cap stored the reply under parentId instead.' }),
        body: Type.String({ description: 'Empty for a deleted comment: its text is not kept.' }),
        html: Type.String(),
        status: CommentStatusSchema,
        spam: Type.Boolean(),
        heldReasons: Type.Array(Type.String()),
        createdAt: Timestamp(),
        editedAt: Nullable(Timestamp()),
        importedFrom: Nullable(Type.Object({ source: Type.String(), sourceId: Type.String() })),
      }),
      { description: 'Every comment the identity wrote, in any state, oldest first.' },
    ),
    reports: Type.Array(
      Type.Object({
        commentId: Type.String(),
        reason: ReportReasonSchema,
        details: Nullable(Type.String()),
        weight: Type.Integer(),
        network: Nullable(Type.String({ description: 'The network the report came from (IPv4 /24, IPv6 /56), kept instead of the address.' })),
        createdAt: Timestamp(),
        resolvedAt: Nullable(Timestamp()),
      }),
      { description: 'Every report the identity made.' },
    ),
    following: Type.Object(
      {
        followOnPost: Type.Boolean({ description: 'Whether posting in a thread follows it.' }),
        threads: Type.Array(
          Type.Object({
            thread: Type.String(),
            state: literals(['following', 'muted'] as const),
            since: Timestamp({ description: 'When the reader followed or muted it (posting, or asking).' }),
          }),
          { description: 'Every thread the identity follows or muted, oldest first. Whether a follow came from posting or from asking is not kept.' },
        ),
      },
      { description: 'Following threads (decision 0035).' },
    ),
    tokens: Type.Array(
      Type.Object({
        kind: literals(['first', 'sign-in'] as const),
        createdAt: Timestamp(),
      }),
      {
        description:
          'The browsers the identity holds a token on: `first`, the one it was created with; `sign-in`, one given by a sign-in link. Never a token or its hash. Tokens do not expire and their use is not recorded. A host-site identity has none here: its tokens are the site’s.',
      },
    ),
    signInLinks: Type.Array(
      Type.Object({
        createdAt: Timestamp(),
        expiresAt: Timestamp(),
        usedAt: Nullable(Timestamp({ description: 'Null while the link was not used.' })),
      }),
      { description: 'Sign-in links asked for by e-mail, oldest first: when, until when, and whether used. Never the code, its hash or the challenge.' },
    ),
    mail: Nullable(
      Type.Object(
        {
          address: Type.String(),
          confirmedAt: Nullable(Timestamp({ description: 'Null while the address is not confirmed: nothing is sent to it.' })),
          notify: literals(['immediate', 'digest', 'off'] as const),
          language: Type.String(),
          createdAt: Timestamp(),
        },
        { description: 'The e-mail address the reader gave, and how they want to be told (decision 0030); null when none. Never the confirmation code or its hash.' },
      ),
    ),
    notifications: Type.Array(
      Type.Object({
        commentId: Type.String(),
        thread: Type.String(),
        reason: literals(['reply', 'following'] as const),
        createdAt: Timestamp(),
        readAt: Nullable(Timestamp({ description: 'When the reader marked it read in their activity; null while unread.' })),
      }),
      { description: 'What the reader was told about (a reply to them, a new comment in a thread they follow), oldest first.' },
    ),
    helpfulMarks: Type.Array(
      Type.Object({
        commentId: Type.String(),
        thread: Type.String(),
        weight: Type.Integer({ description: 'What the mark counted for (0 while the identity was too new, decision 0036).' }),
        network: Nullable(Type.String({ description: 'The network the mark came from (IPv4 /24, IPv6 /56), kept instead of the address.' })),
        createdAt: Timestamp(),
        takenBackAt: Nullable(Timestamp({ description: 'When the reader took the mark back; null while it stands.' })),
      }),
      { description: 'Every helpful mark the identity gave, oldest first, taken back or not.' },
    ),
  },
  { description: 'Sent as an attachment (Content-Disposition).' },
);

export const ErasureResponse = Type.Object({
  erased: Type.Object({
    identity: Type.String(),
    mode: ErasureModeSchema,
    removed: Type.Integer({ description: 'Comments deleted outright (they had no replies).' }),
    placeholders: Type.Integer({ description: 'Comments kept as deleted placeholders, text and author gone, because replies hang under them.' }),
    anonymised: Type.Integer({ description: 'Comments kept with their text under no author.' }),
    reports: Type.Integer({ description: 'Reports the identity had made, now deleted.' }),
  }),
});

export type ReaderExportResponse = Static<typeof ReaderExportResponse>;
export type ErasureMode = Static<typeof ErasureModeSchema>;
export type ErasureResponse = Static<typeof ErasureResponse>;
