// Representative answers of the v1 protocol, typed with the protocol's own types, so a type
// that drifts from its schema fails to compile and a schema that drifts fails `Value.Check`.
import type { AuditEntry, Comment, ConfigResponse, CreateIdentityResponse, Page, QueueResponse, ThreadEventData } from './index.js';

export const author = { id: 'i_1', name: 'Ada', role: 'reader' } as const;

export function comment(overrides: Partial<Comment> = {}): Comment {
  return {
    id: 'c_1',
    thread: '/2026/11/article',
    parentId: null,
    replyTo: null,
    author: { ...author },
    body: 'source *markdown*',
    html: '<p>source <em>markdown</em></p>',
    createdAt: '2026-11-22T10:00:00.000Z',
    editedAt: null,
    status: 'visible',
    replies: [],
    ...overrides,
  };
}

export const page: Page = {
  comments: [comment({ replies: [comment({ id: 'c_2', parentId: 'c_1', status: 'deleted', body: '', html: '' })] })],
  nextCursor: 'opaque',
  closed: false,
};

export const identityAnswer: CreateIdentityResponse = { token: 'cqt_abc', identity: { id: 'i_1', name: null, role: 'reader' } };

export const event: ThreadEventData = (() => {
  const { replies: _replies, ...rest } = comment({ editedAt: '2026-11-22T10:05:00.000Z' });
  return { comment: rest };
})();

export const auditEntry: AuditEntry = {
  id: 'a_1',
  action: 'auto-hide',
  reason: null,
  createdAt: '2026-11-22T10:00:00.000Z',
  moderator: null,
  commentId: 'c_1',
  authorId: 'i_1',
  detail: { reportWeight: 3, threshold: 3 },
};

export const queue: QueueResponse = {
  items: [
    {
      comment: comment({ status: 'hidden' }),
      thread: '/2026/11/article',
      threadUrl: 'https://news.example/2026/11/article',
      threadClosed: false,
      parent: null,
      reports: [
        {
          id: 'r_1',
          commentId: 'c_1',
          reason: 'spam',
          details: null,
          weight: 1,
          createdAt: '2026-11-22T10:01:00.000Z',
          reporter: { id: 'i_2', name: null, role: 'reader' },
        },
      ],
      reportGroups: [],
      reportWeight: 1,
      threshold: 3,
      heldReasons: [],
      hiddenBy: 'reports',
      actions: [auditEntry],
      author: {
        ...author,
        banned: false,
        bannedUntil: null,
        since: null,
        counts: { visible: 1, held: 0, hidden: 1, deleted: 0, spam: 0 },
        recent: [comment()],
        actions: [],
        notes: [],
      },
    },
  ],
  nextCursor: null,
  total: 1,
};

export const config: ConfigResponse = {
  limits: { maxBodyLength: 10000, maxNameLength: 64, maxDetailsLength: 1000, maxDepth: 5, maxPageSize: 100, editWindowSeconds: 900 },
  moderation: {
    mode: 'post',
    reportThreshold: 3,
    premoderatedThreads: [],
    reportWeights: { reader: 1, mentor: 2, moderator: 2, staff: 2 },
    holdFirstComments: 0,
  },
  live: true,
  jwt: false,
};
