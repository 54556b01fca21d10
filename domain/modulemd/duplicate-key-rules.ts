// Where a key repeated in one mapping makes libmodulemd 2.14 refuse the document, by document kind.
// Both YAML readers keep the later value of a repeated key and list every repeat (yaml-source.ts); in
// most mappings that is libmodulemd's behaviour too, but some of its parsers check "already set" or a
// hash table before storing: modulemd-yaml-util.c (document/version at the top; a module repeated in a
// nested set, i.e. dependencies), modulemd-defaults-v1.c (module, stream, profiles' streams, intents),
// modulemd-obsoletes.c (module, stream, context, message, obsoleted_by's module and stream),
// modulemd-translation.c (module, stream), modulemd-packager-v3.c (a context repeated across lists).
// A repeated mapping that libmodulemd merges (defaults' profiles, intents, obsoleted_by, packager
// configurations) is refused when the two share a member, as libmodulemd's merge refuses it.
import type { ModulemdError } from './modulemd-error';
import { locatedError } from './modulemd-error';
import type { DuplicateKey, SourceDocument } from './yaml-source';
import type { FieldPath, TextTree } from './yaml-trees';

/** A path pattern: '*' is any key, '#' any sequence index. */
type Pattern = readonly string[];

interface RepeatRule {
  pattern: Pattern;
  what: string;
}

interface MergeRule {
  pattern: Pattern;
  /** The members that may not appear in both the earlier and the later value, with their paths. */
  members: (value: TextTree, path: FieldPath) => { name: string; path: FieldPath }[];
  what: string;
}

const TOP: RepeatRule[] = [
  { pattern: ['document'], what: 'the document type' },
  { pattern: ['version'], what: 'the document version' },
];

const DEPENDENCIES = (base: Pattern): RepeatRule[] => [
  { pattern: [...base, 'buildrequires', '*'], what: 'a build-time dependency' },
  { pattern: [...base, 'requires', '*'], what: 'a run-time dependency' },
];

const NAME_AND_STREAM: RepeatRule[] = [
  { pattern: ['data', 'module'], what: 'the module name' },
  { pattern: ['data', 'stream'], what: 'the stream' },
];

const REPEATS: Record<string, RepeatRule[]> = {
  'modulemd-v2': [...TOP, ...DEPENDENCIES(['data', 'dependencies', '#'])],
  'modulemd-packager-v3': [...TOP, ...DEPENDENCIES(['data', 'configurations', '#'])],
  'modulemd-defaults-v1': [
    ...TOP,
    { pattern: ['data', 'module'], what: 'the module name' },
    { pattern: ['data', 'stream'], what: 'the default stream' },
    { pattern: ['data', 'profiles', '*'], what: 'a stream of the default profiles' },
    { pattern: ['data', 'intents', '*'], what: 'an intent' },
    { pattern: ['data', 'intents', '*', 'stream'], what: 'the default stream of an intent' },
    { pattern: ['data', 'intents', '*', 'profiles', '*'], what: 'a stream of an intent’s default profiles' },
  ],
  'modulemd-obsoletes-v1': [
    ...TOP,
    ...NAME_AND_STREAM,
    { pattern: ['data', 'context'], what: 'the context' },
    { pattern: ['data', 'message'], what: 'the message' },
    { pattern: ['data', 'obsoleted_by', 'module'], what: 'the obsoleting module' },
    { pattern: ['data', 'obsoleted_by', 'stream'], what: 'the obsoleting stream' },
  ],
  'modulemd-translations-v1': [...TOP, ...NAME_AND_STREAM],
};

const isMapping = (value: TextTree): value is { [key: string]: TextTree } =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const keysOf = (value: TextTree, path: FieldPath) =>
  isMapping(value) ? Object.keys(value).map((name) => ({ name, path: [...path, name] })) : [];

const contextsOf = (value: TextTree, path: FieldPath) =>
  (Array.isArray(value) ? value : []).flatMap((item, index) =>
    isMapping(item) && typeof item.context === 'string'
      ? [{ name: item.context, path: [...path, index, 'context'] }]
      : [],
  );

const MERGES: Record<string, MergeRule[]> = {
  'modulemd-defaults-v1': [
    { pattern: ['data', 'profiles'], members: keysOf, what: 'a stream of the default profiles' },
    { pattern: ['data', 'intents'], members: keysOf, what: 'an intent' },
    {
      pattern: ['data', 'intents', '*', 'profiles'],
      members: keysOf,
      what: 'a stream of an intent’s default profiles',
    },
  ],
  'modulemd-obsoletes-v1': [
    {
      pattern: ['data', 'obsoleted_by'],
      members: (value, path) => keysOf(value, path).filter(({ name }) => name === 'module' || name === 'stream'),
      what: 'a field of obsoleted_by',
    },
  ],
  'modulemd-packager-v3': [{ pattern: ['data', 'configurations'], members: contextsOf, what: 'a context' }],
};

function matches(pattern: Pattern, path: FieldPath): boolean {
  if (pattern.length !== path.length) return false;
  return pattern.every((segment, i) => {
    const actual = path[i];
    if (segment === '#') return typeof actual === 'number';
    return typeof actual === 'string' && (segment === '*' || segment === actual);
  });
}

function valueAt(root: TextTree, path: FieldPath): TextTree | undefined {
  let node: TextTree | undefined = root;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (node !== undefined && isMapping(node) && Object.hasOwn(node, String(segment))) node = node[segment];
    else return undefined;
  }
  return node;
}

/** The repeats of `document` (of `kind`, e.g. modulemd-v2) that libmodulemd refuses, as errors. */
export function duplicateKeyErrors(document: SourceDocument, kind: string): ModulemdError[] {
  const repeats = REPEATS[kind] ?? TOP;
  const merges = MERGES[kind] ?? [];
  return document.duplicateKeys.flatMap((duplicate) => {
    const repeat = repeats.find((rule) => matches(rule.pattern, duplicate.path));
    if (repeat) return [repeatError(document, duplicate, repeat.what)];
    const merge = merges.find((rule) => matches(rule.pattern, duplicate.path));
    return merge ? mergeErrors(document, duplicate, merge) : [];
  });
}

function repeatError(document: SourceDocument, duplicate: DuplicateKey, what: string): ModulemdError {
  const key = String(duplicate.path[duplicate.path.length - 1]);
  return locatedError(document, 'duplicate-key', duplicate.path, `'${key}' (${what}) is given twice`);
}

function mergeErrors(document: SourceDocument, duplicate: DuplicateKey, rule: MergeRule): ModulemdError[] {
  const later = valueAt(document.text, duplicate.path);
  if (later === undefined) return [];
  const earlier = new Set(rule.members(duplicate.earlier, duplicate.path).map(({ name }) => name));
  const key = String(duplicate.path[duplicate.path.length - 1]);
  return rule
    .members(later, duplicate.path)
    .filter(({ name }) => earlier.has(name))
    .map(({ name, path }) =>
      locatedError(
        document,
        'duplicate-key',
        path,
        `'${name}' (${rule.what}) is given twice: '${key}' is repeated and both give it`,
      ),
    );
}
