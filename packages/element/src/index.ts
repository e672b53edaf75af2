export { ColloquyThread } from './thread/thread.js';
export { ColloquyCount } from './count/count.js';
export { ColloquyComposer, ComposerCancelEvent, ComposerSubmitEvent } from './composer/composer.js';
export { ColloquyReportDialog, ReportCloseEvent, ReportSubmitEvent } from './report-dialog/report-dialog.js';
export { ThreadController } from './controller/thread-controller.js';
export { ColloquyErrorEvent } from './events.js';
export { ColloquyPostedEvent, ColloquyReportedEvent } from './write-events.js';
export type { BodyRenderer } from './body/body-renderer.js';
export { renderPlainText, renderServerHtml } from './body/body-renderer.js';
export { renderMarkdownBody } from './body/markdown-renderer.js';
export type { AdapterRequest, ElementDefaults } from './config.js';
export { configureElements, defaultThreadKey } from './config.js';
export { ELEMENTS, defineElements } from './define-elements.js';
export { Localizer, SUPPORTED_LANGUAGES, languageFor, loadLanguage, localizerFor, resolveLanguage } from './i18n/locale.js';
export type { Messages, PluralForms } from './i18n/messages.js';
export { en } from './i18n/messages.js';
export { es } from './i18n/es.js';
export { ColloquyModeration } from './moderation/moderation.js';
export { ColloquyAuditLog } from './moderation/audit-log/audit-log.js';
export { ColloquyBanList } from './moderation/ban-list/ban-list.js';
export { ColloquyReasonDialog, ReasonCloseEvent, ReasonSubmitEvent } from './moderation/reason-dialog/reason-dialog.js';
export { ModerationController } from './moderation/moderation-controller.js';
export { ColloquyBanLiftedEvent, ColloquyModeratedEvent } from './moderation/moderation-events.js';
// The moderation wire types and client now live in core and adapter-rest; re-exported so
// imports from the element keep working.
export type {
  AuthorAction,
  AuthorHistory,
  ModerationAction,
  ModerationSource,
  QueueChangeListener,
  QueueItem,
  QueuePage,
  QueueReport,
  QueueStatus,
} from '@colloquy/core';
export { MODERATION_ACTIONS, QUEUE_STATUSES } from '@colloquy/core';
export type { ModerationClientOptions } from '@colloquy/adapter-rest/moderation';
export { createModerationClient } from '@colloquy/adapter-rest/moderation';
export type { ModerationMessages } from './moderation/i18n/moderation-messages.js';
export { moderationMessagesFor } from './moderation/i18n/moderation-messages.js';
export { ColloquyActivity } from './activity/activity.js';
export type { ActivityClient, ActivityEntry, ActivityPage, UnreadCounts } from './activity/activity-client.js';
