// Reads a YAML stream into two views per document: a "text tree" whose scalars keep their source text
// (modulemd treats every scalar as a string: `stream: 1.10` is "1.10"), and a "JSON tree" for free-form
// blocks such as xmd, where YAML's core types are kept but no digits are lost. Also maps a field path
// back to the line it came from. Documents are cut apart first (yaml-document-spans.ts) and read one by
// one: with the fast block reader (yaml-block-reader.ts) when they are plain block YAML, as module
// indexes are, else with the `yaml` package, which also gives the lines of a document's errors. Both
// keep the later value of a repeated key; the fast reader leaves a document with one to the `yaml`
// package, which lists every repeat for the rules of duplicate-key-rules.ts.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { reindentQuotedScalars } from './quoted-scalar-indentation';
import { NO_DOCUMENT, readBlockYamlDocument, UNSUPPORTED } from './yaml-block-reader';
import { splitYamlDocuments, type YamlDocumentSpan } from './yaml-document-spans';

import type { DuplicateKey, FieldPath, JsonValue, TextTree } from './yaml-trees';

export type { DuplicateKey, FieldPath, JsonValue, TextTree } from './yaml-trees';

export interface SourceDocument {
  /** The scalars' source text, or null for an empty value. */
  text: TextTree;
  /** Where this document starts (1-based line). */
  startLine: number;
  /** YAML syntax errors of this document, already located. */
  syntaxErrors: { message: string; line: number }[];
  /** Keys repeated in a mapping (the later value is in `text`); libmodulemd refuses some of them. */
  duplicateKeys: readonly DuplicateKey[];
  lineOf(path: FieldPath): number | undefined;
  jsonAt(path: FieldPath): JsonValue | undefined;
}

export function readYamlDocuments(source: string): SourceDocument[] {
  return [...yamlDocuments(source)];
}

/**
 * The documents one at a time. Each is read with the fast block reader when it can (module indexes
 * are plain block YAML), else with the `yaml` package; positions (lineOf) come from the `yaml` package,
 * read again only for a document that needs one, which is one with an error.
 */
export function* yamlDocuments(source: string): Generator<SourceDocument> {
  const spans = splitYamlDocuments(source);
  if (!spans) {
    yield* readYamlText(source, 0);
    return;
  }
  for (const span of spans) {
    const text = span.plain ? readFast(source, span, false) : undefined;
    if (text === NO_DOCUMENT) continue;
    if (text === undefined) yield* readYamlText(source.slice(span.start, span.end), span.startLine - 1);
    else yield fastDocument(source, span, text as TextTree);
  }
}

function readFast(source: string, span: YamlDocumentSpan, json: boolean) {
  try {
    return readBlockYamlDocument(source, span.start, span.end, json);
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

function fastDocument(source: string, span: YamlDocumentSpan, text: TextTree): SourceDocument {
  let located: SourceDocument | undefined;
  const locate = () =>
    (located ??= readYamlText(source.slice(span.start, span.end), span.startLine - 1)[0] ?? {
      text,
      startLine: span.startLine,
      syntaxErrors: [],
      duplicateKeys: [],
      lineOf: () => span.startLine,
      jsonAt: () => undefined,
    });
  return {
    text,
    get startLine() {
      return locate().startLine;
    },
    syntaxErrors: [],
    // The fast reader refuses a document with a repeated key (yaml-block-reader.ts), so there is none.
    duplicateKeys: [],
    lineOf: (path) => locate().lineOf(path),
    jsonAt(path) {
      // The text tree has the JSON tree's shape: read the span again, typed, only when the path is there.
      if (valueAtPath(text, path) === undefined) return undefined;
      return valueAtPath(readFast(source, span, true) as JsonValue, path);
    },
  };
}

function valueAtPath<T extends TextTree | JsonValue>(root: T, path: FieldPath): T | undefined {
  let node: unknown = root;
  for (const segment of path) {
    if (Array.isArray(node)) {
      if (typeof segment !== 'number' || segment >= node.length) return undefined;
      node = node[segment];
    } else if (node !== null && typeof node === 'object' && Object.hasOwn(node, String(segment))) {
      node = (node as Record<string, unknown>)[String(segment)];
    } else return undefined;
  }
  return node as T;
}

/** Every document read with the `yaml` package only: the reference the fast reader must agree with. */
export function readYamlDocumentsWithYamlPackage(source: string): SourceDocument[] {
  return readYamlText(source, 0);
}

/** One text with the `yaml` package; line numbers shifted by `lineOffset` (the text's place in a file). */
function readYamlText(source: string, lineOffset: number): SourceDocument[] {
  const first = parseYamlStream(source, lineOffset);
  if (!first.documents.some((document) => document.errors.length > 0)) return first.read();
  // Retry with libyaml's leniency for under-indented quoted scalars; keep the first errors if that fails too.
  const second = parseYamlStream(reindentQuotedScalars(source), lineOffset);
  return second.documents.some((document) => document.errors.length > 0) ? first.read() : second.read();
}

function parseYamlStream(source: string, lineOffset: number) {
  const lineCounter = new LineCounter();
  // uniqueKeys: libmodulemd lets a later duplicate key win rather than rejecting the document.
  const parsed = parseAllDocuments(source, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const documents = Array.isArray(parsed) ? parsed : [];
  return {
    documents,
    read: () => documents.map((document) => toSourceDocument(document, lineCounter, lineOffset)),
  };
}

function toSourceDocument(document: Document.Parsed, lineCounter: LineCounter, lineOffset: number): SourceDocument {
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line + lineOffset;
  const duplicateKeys: DuplicateKey[] = [];
  return {
    text: toTextTree(document.contents, [], duplicateKeys),
    startLine: lineAt(document.range[0]),
    syntaxErrors: document.errors.map((error) => ({ message: error.message, line: lineAt(error.pos[0]) })),
    duplicateKeys,
    lineOf(path) {
      const offset = offsetOfPath(document.contents, path);
      return offset === undefined ? undefined : lineAt(offset);
    },
    jsonAt(path) {
      const node = nodeAtPath(document.contents, path);
      return node === undefined ? undefined : toJsonValue(node);
    },
  };
}

/** The text tree; a key repeated in a mapping keeps its later value and goes into `duplicates`. */
function toTextTree(node: unknown, path: FieldPath, duplicates: DuplicateKey[]): TextTree {
  if (isMap(node)) {
    const out: { [key: string]: TextTree } = {};
    for (const pair of node.items) {
      const key = keyText(pair);
      const value = toTextTree(pair.value, [...path, key], duplicates);
      if (Object.hasOwn(out, key)) duplicates.push({ path: [...path, key], earlier: out[key]! });
      out[key] = value;
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item, index) => toTextTree(item, [...path, index], duplicates));
  if (isScalar(node)) return scalarText(node);
  return null;
}

function scalarText(node: { source?: unknown; value: unknown; type?: string }): string | null {
  const source = typeof node.source === 'string' ? node.source : node.value === null ? '' : String(node.value);
  // An empty plain value (`key:`) is "no value"; quoted '' is an empty string.
  if (source === '' && (node.type === 'PLAIN' || node.type === undefined)) return null;
  return source;
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? (scalarText(pair.key) ?? '') : String(pair.key);
}

function toJsonValue(node: unknown): JsonValue {
  if (isMap(node)) {
    const out: { [key: string]: JsonValue } = {};
    for (const pair of node.items) out[keyText(pair)] = toJsonValue(pair.value);
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toJsonValue(item));
  if (!isScalar(node)) return null;
  const value = node.value;
  if (typeof value === 'number') {
    // Integers too large for a double, and floats whose text would change (1.10), stay text.
    const text = typeof node.source === 'string' ? node.source : String(value);
    return String(value) === text || (Number.isSafeInteger(value) && /^[-+]?\d+$/.test(text)) ? value : text;
  }
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  return String(value);
}

function childOf(node: unknown, segment: string | number): { pair?: Pair; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = [...node.items].reverse().find((item) => isPair(item) && keyText(item) === String(segment));
    return pair ? { pair, value: pair.value } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    return segment < node.items.length ? { value: node.items[segment] } : undefined;
  }
  return undefined;
}

function nodeAtPath(root: unknown, path: FieldPath): unknown {
  let node = root;
  for (const segment of path) {
    const child = childOf(node, segment);
    if (!child) return undefined;
    node = child.value;
  }
  return node;
}

/** The offset of the deepest node on the path that exists: the key for a map entry, else the value. */
function offsetOfPath(root: unknown, path: FieldPath): number | undefined {
  let node = root;
  let offset = rangeStart(root);
  for (const segment of path) {
    const child = childOf(node, segment);
    if (!child) break;
    offset = rangeStart(child.pair?.key) ?? rangeStart(child.value) ?? offset;
    node = child.value;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}
