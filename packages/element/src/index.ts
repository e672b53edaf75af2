export { ColloquyThread } from './thread/thread.js';
export { ColloquyCount } from './count/count.js';
export { ColloquyComposer, ComposerCancelEvent, ComposerSubmitEvent } from './composer/composer.js';
export { ColloquyReportDialog, ReportCloseEvent, ReportSubmitEvent } from './report-dialog/report-dialog.js';
export { ThreadController } from './controller/thread-controller.js';
export { ColloquyErrorEvent, ColloquyPostedEvent, ColloquyReportedEvent } from './events.js';
export type { BodyRenderer } from './body/body-renderer.js';
export { renderPlainText, renderServerHtml } from './body/body-renderer.js';
export { renderMarkdownBody } from './body/markdown-renderer.js';
export type { AdapterRequest, ElementDefaults } from './config.js';
export { configureElements, defaultThreadKey } from './config.js';
export { ELEMENTS, defineElements } from './define-elements.js';
export { Localizer, SUPPORTED_LANGUAGES, languageFor, localizerFor, resolveLanguage } from './i18n/locale.js';
export type { Messages, PluralForms } from './i18n/messages.js';
export { en, es } from './i18n/messages.js';
export { ColloquyModeration } from './moderation/moderation.js';
export { ColloquyModeratedEvent } from './moderation/moderation-events.js';
export type {
  AuthorAction,
  AuthorHistory,
  ModerationAction,
  ModerationClientOptions,
  ModerationSource,
  QueueChangeListener,
  QueueItem,
  QueuePage,
  QueueReport,
  QueueStatus,
} from './moderation/moderation-source.js';
export { MODERATION_ACTIONS, QUEUE_STATUSES, createModerationClient } from './moderation/moderation-source.js';
export type { ModerationMessages } from './moderation/i18n/moderation-messages.js';
export { moderationMessagesFor } from './moderation/i18n/moderation-messages.js';
