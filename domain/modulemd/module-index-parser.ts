// Reads modulemd YAML text: a module index (a stream of modulemd, modulemd-defaults, -obsoletes and
// -translations documents) or a single modulemd-packager v3 document. Like libmodulemd, one bad document
// makes the whole text invalid, and every error names its field and line.
import type { z } from 'zod';
import { obsoletesV1DataSchema, translationsV1DataSchema } from './auxiliary-documents-schema';
import { defaultsV1DataSchema } from './defaults-schema';
import { duplicateKeyErrors } from './duplicate-key-rules';
import type { ModuleDefaults, ModuleStreamV2 } from './module-stream';
import type { ModulemdError } from './modulemd-error';
import { errorsFromZodIssues, locatedError } from './modulemd-error';
import { convertPackagerV3, packagerV3DataSchema } from './packager-v3-schema';
import { checkStreamV2Rules } from './stream-v2-rules';
import { streamV1DataSchema } from './stream-v1-schema';
import { streamV2DataSchema } from './stream-v2-schema';
import type { SourceDocument } from './yaml-source';
import { readYamlDocuments, yamlDocuments } from './yaml-source';

export interface ParseOptions {
  /** Named in errors' messages by describeModulemdError; not read. */
  fileName?: string;
}

export type ParseResult =
  { ok: true; streams: ModuleStreamV2[]; defaults: ModuleDefaults[] } | { ok: false; errors: ModulemdError[] };

type DocumentKind =
  | 'modulemd-v1'
  | 'modulemd-v2'
  | 'modulemd-defaults-v1'
  | 'modulemd-obsoletes-v1'
  | 'modulemd-translations-v1'
  | 'modulemd-packager-v3';

type DocumentReading =
  { errors: ModulemdError[] } | { errors: []; streams: ModuleStreamV2[]; defaults: ModuleDefaults[] };

const INDEX_KINDS: readonly DocumentKind[] = [
  'modulemd-v1',
  'modulemd-v2',
  'modulemd-defaults-v1',
  'modulemd-obsoletes-v1',
  'modulemd-translations-v1',
];

/** A module index: every document must be valid for the text to be. */
export function parseModuleIndex(text: string, _options: ParseOptions = {}): ParseResult {
  return readDocuments(yamlDocuments(text), INDEX_KINDS);
}

export type ScanResult =
  { ok: true; streams: number; defaults: ModuleDefaults[] } | { ok: false; errors: ModulemdError[] };

/**
 * A module index too large to hold as streams: each valid stream goes to `onStream` as soon as it is
 * read. The verdict is the same as parseModuleIndex's, and only known at the end: a caller must not
 * act on what it was given before it has an `ok` result.
 */
export function scanModuleIndex(
  text: string,
  onStream: (stream: ModuleStreamV2) => void,
  _options: ParseOptions = {},
): ScanResult {
  let streams = 0;
  const result = readDocuments(yamlDocuments(text), INDEX_KINDS, (stream) => {
    streams += 1;
    onStream(stream);
  });
  return result.ok ? { ok: true, streams, defaults: result.defaults } : result;
}

/** One modulemd-packager v3 document, converted to one v2 stream per build configuration. */
export function parsePackagerV3(text: string, _options: ParseOptions = {}): ParseResult {
  const documents = readYamlDocuments(text);
  if (documents.length !== 1) {
    return {
      ok: false,
      errors: [{ code: 'not-one-document', path: '', message: `expected one document, found ${documents.length}` }],
    };
  }
  return readDocuments(documents, ['modulemd-packager-v3']);
}

/**
 * One document at a time, so that a large index's documents are not all held at once. With `onStream`,
 * the valid streams go there (until the first error) instead of into the result.
 */
function readDocuments(
  documents: Iterable<SourceDocument>,
  accepted: readonly DocumentKind[],
  onStream?: (stream: ModuleStreamV2) => void,
): ParseResult {
  const streams: ModuleStreamV2[] = [];
  const defaults: ModuleDefaults[] = [];
  const errors: ModulemdError[] = [];
  let count = 0;
  for (const document of documents) {
    count += 1;
    const reading = readDocument(document, accepted);
    if (reading.errors.length > 0 || !('streams' in reading)) {
      errors.push(...reading.errors);
      continue;
    }
    if (errors.length > 0) continue;
    if (onStream) reading.streams.forEach((stream) => onStream(stream));
    else streams.push(...reading.streams);
    defaults.push(...reading.defaults);
  }
  if (count === 0) errors.push({ code: 'empty', path: '', message: 'no YAML document found' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, streams, defaults };
}

function readDocument(document: SourceDocument, accepted: readonly DocumentKind[]): DocumentReading {
  if (document.syntaxErrors.length > 0) {
    return {
      errors: document.syntaxErrors.map((error) => ({
        code: 'yaml-syntax',
        path: '',
        line: error.line,
        message: error.message,
      })),
    };
  }
  const root = document.text;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return { errors: [locatedError(document, 'not-a-mapping', [], 'the document is not a mapping')] };
  }
  if (document.duplicateKeys.length > 0) {
    const repeated = duplicateKeyErrors(document, `${String(root.document)}-v${String(root.version)}`);
    if (repeated.length > 0) return { errors: repeated };
  }
  if (typeof root.document !== 'string') {
    return { errors: [locatedError(document, 'missing-document-type', ['document'], 'no document type specified')] };
  }
  if (typeof root.version !== 'string') {
    return { errors: [locatedError(document, 'missing-version', ['version'], 'no document version specified')] };
  }
  // Other keys beside document, version and data are ignored, as libmodulemd ignores them (even strictly).
  const kind = `${root.document}-v${root.version}`;
  if (!accepted.includes(kind as DocumentKind)) {
    const message = `a ${root.document} document of version ${root.version} is not accepted here (accepted: ${accepted.join(', ')})`;
    return { errors: [locatedError(document, 'unsupported-document', ['document'], message)] };
  }
  return readData(document, kind as DocumentKind);
}

function readData(document: SourceDocument, kind: DocumentKind): DocumentReading {
  const data = (document.text as Record<string, unknown>).data;
  switch (kind) {
    case 'modulemd-v1':
      return readStream(document, parseData(document, streamV1DataSchema, data));
    case 'modulemd-v2':
      return readStream(document, parseData(document, streamV2DataSchema, data));
    case 'modulemd-defaults-v1': {
      const parsed = parseData(document, defaultsV1DataSchema, data);
      return 'errors' in parsed ? parsed : { errors: [], streams: [], defaults: [parsed.value] };
    }
    case 'modulemd-obsoletes-v1':
    case 'modulemd-translations-v1': {
      const schema = kind === 'modulemd-obsoletes-v1' ? obsoletesV1DataSchema : translationsV1DataSchema;
      const parsed = parseData(document, schema, data);
      return 'errors' in parsed ? parsed : { errors: [], streams: [], defaults: [] };
    }
    case 'modulemd-packager-v3': {
      const parsed = parseData(document, packagerV3DataSchema, data);
      if ('errors' in parsed) return parsed;
      // libmodulemd checks a packager document's shape only; the stream rules apply once it is built.
      const converted = convertPackagerV3(parsed.value);
      return readStreams(document, converted.streams, converted.defaults, { applyStreamRules: false });
    }
  }
}

function parseData<T extends z.ZodType>(
  document: SourceDocument,
  schema: T,
  data: unknown,
): { value: z.output<T> } | { errors: ModulemdError[] } {
  if (data === undefined) return { errors: [locatedError(document, 'missing-data', ['data'], 'no data section')] };
  const parsed = schema.safeParse(data);
  if (parsed.success) return { value: parsed.data };
  return { errors: errorsFromZodIssues(document, ['data'], parsed.error.issues) };
}

function readStream(
  document: SourceDocument,
  parsed: { value: ModuleStreamV2 } | { errors: ModulemdError[] },
): DocumentReading {
  return 'errors' in parsed ? parsed : readStreams(document, [parsed.value], []);
}

/** Attaches xmd as parsed (typed JSON, not text) and applies the stream rules. */
function readStreams(
  document: SourceDocument,
  streams: ModuleStreamV2[],
  defaults: ModuleDefaults[],
  { applyStreamRules } = { applyStreamRules: true },
): DocumentReading {
  const xmd = document.jsonAt(['data', 'xmd']);
  const withXmd = streams.map((stream) => (xmd === undefined ? stream : { ...stream, xmd }));
  if (!applyStreamRules) return { errors: [], streams: withXmd, defaults };
  const errors = withXmd
    .flatMap(checkStreamV2Rules)
    .map((violation) => locatedError(document, violation.code, violation.path, violation.message));
  return errors.length > 0 ? { errors } : { errors: [], streams: withXmd, defaults };
}
