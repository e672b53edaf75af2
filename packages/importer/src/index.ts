export type {
  ImportedAuthor,
  ImportedComment,
  ImportedThread,
  ImportRecord,
  ImportRecordStream,
  ImportSourceName,
  SkippedRecord,
} from './records.js';
export type { ParseOptions } from './disqus.js';
export { parseDisqus } from './disqus.js';
export type { WxrParseOptions } from './wxr.js';
export { parseWxr } from './wxr.js';
export type { ImportInput } from './xml-stream.js';
export { XmlSyntaxError } from './xml-stream.js';
export type { ThreadKeyRule } from './thread-key.js';
export { checkThreadKeyRule, DEFAULT_WORDPRESS_ID_PARAMS, readThreadKeyMap, threadKeyFromUrl } from './thread-key.js';
export type { HtmlToMarkdownOptions } from './html-to-markdown.js';
export { htmlToMarkdown } from './html-to-markdown.js';
export type {
  ImportOptions,
  ImportProgress,
  ImportSink,
  ImportSummary,
  MemoryImportedComment,
  ResolvedImport,
} from './import-into.js';
export { createMemoryImportSink, importInto } from './import-into.js';
export type { ProgressReporter, ProgressReporterOptions } from './progress.js';
export { createProgressReporter } from './progress.js';
