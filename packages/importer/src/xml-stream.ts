import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { ColloquyError } from '@colloquy/core';
import type { ImportRecord, ImportRecordStream } from './records.js';

/** A file path, a `file:` URL, a Node stream, or any async iterable of bytes or text. */
export type ImportInput = string | URL | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

/** The input was not well-formed XML, or not the expected kind of export. */
export class XmlSyntaxError extends ColloquyError {
  readonly line: number;
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super('invalid_input', message);
    this.name = 'XmlSyntaxError';
    this.line = line;
    this.column = column;
  }
}

/** An element inside a captured record, with its direct text (text and CDATA joined). */
export interface XmlNode {
  local: string;
  uri: string;
  attributes: ReadonlyArray<{ local: string; uri: string; value: string }>;
  text: string;
  children: XmlNode[];
  line: number;
  column: number;
}

/** An open element outside a capture: only its name, so the stack stays as small as the depth. */
export interface XmlAncestor {
  local: string;
  uri: string;
  line: number;
  column: number;
}

/**
 * What a format parser tells the stream. Records are small, so each one is captured whole as
 * an `XmlNode` subtree; everything else (the document's bulk) is seen only as open/close
 * events and never kept.
 */
export interface XmlRecordHandler {
  /** Called for each element outside a capture; return true to capture its subtree. */
  open(element: XmlAncestor, ancestors: readonly XmlAncestor[]): boolean;
  /** Called when an element that was not captured closes. */
  close?(element: XmlAncestor, ancestors: readonly XmlAncestor[]): void;
  /** Called when a captured subtree is complete. */
  captured(node: XmlNode, ancestors: readonly XmlAncestor[]): void;
}

const CHUNK_BYTES = 64 * 1024;

function inputLabel(input: ImportInput): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return 'the input';
}

async function openInput(input: ImportInput): Promise<{ chunks: AsyncIterable<Uint8Array | string>; size: number | null }> {
  if (typeof input === 'string' || input instanceof URL) {
    const path = input instanceof URL ? fileURLToPath(input) : input;
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error('not a regular file');
      size = info.size;
    } catch (error) {
      throw new ColloquyError('invalid_input', `Cannot read the export ${path}: ${(error as Error).message}`, { cause: error });
    }
    return { chunks: createReadStream(path, { highWaterMark: CHUNK_BYTES }), size };
  }
  if (input && typeof (input as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    return { chunks: input as AsyncIterable<Uint8Array | string>, size: null };
  }
  throw new ColloquyError('invalid_input', 'An export must be a file path, a file URL, a readable stream or an async iterable of chunks.');
}

/**
 * Reads an XML export in chunks through a strict streaming parser and yields the records the
 * handler emits. Memory holds one chunk, the records parsed from it, the open-element stack
 * and whatever the handler keeps (thread metadata), never the document.
 */
export class XmlRecordStream implements ImportRecordStream {
  private read = 0;
  private size: number | null;
  private started = false;

  constructor(
    private readonly input: ImportInput,
    private readonly expectedRoot: { local: string; describe: string },
    private readonly makeHandler: (emit: (record: ImportRecord) => void) => XmlRecordHandler,
    totalBytes?: number,
  ) {
    this.size = totalBytes ?? null;
  }

  get bytesRead(): number {
    return this.read;
  }

  get totalBytes(): number | null {
    return this.size;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ImportRecord> {
    if (this.started) throw new ColloquyError('invalid_input', 'An import record stream can be read only once; parse the export again.');
    this.started = true;
    const label = inputLabel(this.input);
    const { chunks, size } = await openInput(this.input);
    this.size ??= size;

    const queue: ImportRecord[] = [];
    const handler = this.makeHandler((record) => queue.push(record));
    const parser = new SaxesParser({ xmlns: true, position: true });
    const ancestors: XmlAncestor[] = [];
    const captures: XmlNode[] = [];
    let tagLine = 1;
    let tagColumn = 1;

    const fail = (reason: string, line = parser.line, column = parser.column): never => {
      throw new XmlSyntaxError(`${label} is not a well-formed ${this.expectedRoot.describe}: line ${line}, column ${column}: ${reason}`, line, column);
    };

    parser.on('error', (error) => {
      fail(error.message.replace(/^\d+:\d+: /, ''));
    });
    parser.on('xmldecl', (decl) => {
      if (decl.encoding && !/^(utf-?8|us-ascii)$/i.test(decl.encoding)) {
        fail(`the XML declaration names the encoding ${decl.encoding}; only UTF-8 exports are supported (convert the file with iconv first)`);
      }
    });
    parser.on('opentagstart', (tag) => {
      // The parser is one character past the name here; step back to the "<" so positions point at the tag.
      tagLine = parser.line;
      tagColumn = Math.max(1, parser.column - tag.name.length - 1);
    });
    parser.on('opentag', (tag: SaxesTagNS) => {
      const attributes = Object.values(tag.attributes).map((a) => ({ local: a.local, uri: a.uri, value: a.value }));
      const top = captures[captures.length - 1];
      if (top) {
        const node: XmlNode = { local: tag.local, uri: tag.uri, attributes, text: '', children: [], line: tagLine, column: tagColumn };
        top.children.push(node);
        captures.push(node);
        return;
      }
      const element: XmlAncestor = { local: tag.local, uri: tag.uri, line: tagLine, column: tagColumn };
      if (ancestors.length === 0 && tag.local !== this.expectedRoot.local) {
        fail(`expected a <${this.expectedRoot.local}> root element, found <${tag.name}>`, tagLine, tagColumn);
      }
      if (handler.open(element, ancestors)) {
        captures.push({ local: tag.local, uri: tag.uri, attributes, text: '', children: [], line: tagLine, column: tagColumn });
      } else {
        ancestors.push(element);
      }
    });
    const onText = (text: string): void => {
      const top = captures[captures.length - 1];
      if (top) top.text += text;
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
    parser.on('closetag', () => {
      const node = captures.pop();
      if (node) {
        if (captures.length === 0) handler.captured(node, ancestors);
        return;
      }
      const element = ancestors.pop();
      if (element) handler.close?.(element, ancestors);
    });

    const decoder = new TextDecoder('utf-8', { fatal: true });
    const decode = (bytes: Uint8Array, stream: boolean): string => {
      try {
        return decoder.decode(bytes, { stream });
      } catch {
        return fail('the file is not valid UTF-8 here');
      }
    };
    for await (const chunk of chunks) {
      const text = typeof chunk === 'string' ? chunk : decode(chunk, true);
      this.read += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      parser.write(text);
      yield* queue.splice(0);
    }
    const rest = decode(new Uint8Array(0), false);
    if (rest) parser.write(rest);
    parser.close();
    yield* queue.splice(0);
  }
}

