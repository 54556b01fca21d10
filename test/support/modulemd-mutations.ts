// Seeded structural mutations of real modulemd documents, for the differential fuzzer that holds Cascade's
// verdicts to libmodulemd's (test/domain/modulemd/differential-fuzz.test.ts). Pure: text in, text out.
// Each mutation changes one node of one document the way a person editing by hand might get it wrong.
import { isMap, isScalar, isSeq, Pair, parseAllDocuments, parseDocument, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import { seededRandom } from '../../domain/seeded-random';

export interface SeedDocument {
  /** e.g. valid/fedora29-index.yaml#12 */
  name: string;
  text: string;
  packagerV3: boolean;
}

export type MutationKind =
  | 'delete-key'
  | 'scalar-for-list'
  | 'list-for-scalar'
  | 'mapping-for-sequence'
  | 'sequence-for-mapping'
  | 'scalar-for-mapping'
  | 'unknown-key-top'
  | 'unknown-key-data'
  | 'unknown-key-nested'
  | 'empty-string'
  | 'whitespace-string'
  | 'null-value'
  | 'bad-nevra'
  | 'bad-date'
  | 'number-for-string'
  | 'number-in-list'
  | 'boolean-for-string'
  | 'duplicate-entry'
  | 'duplicate-key';

export interface MutatedDocument {
  seed: string;
  kind: MutationKind;
  /** Dotted path of the node changed, e.g. data.profiles.default.rpms */
  path: string;
  text: string;
  packagerV3: boolean;
}

type Path = (string | number)[];

interface Site {
  path: Path;
  node: Node;
  /** The map or sequence holding the node, and where; absent for the root. */
  parent?: YAMLMap | YAMLSeq;
  key?: string | number;
  /** The map entry holding the node (keys such as `8` are not found again by name). */
  pair?: Pair;
}

/** Every document of every fixture file, each as a seed of its own. */
export function seedDocuments(files: { name: string; text: string; packagerV3: boolean }[]): SeedDocument[] {
  return files.flatMap((file) =>
    parseAllDocuments(file.text, { uniqueKeys: false })
      .map((document, index) => ({ document, index }))
      .filter(({ document }) => document.contents !== null && document.errors.length === 0)
      .map(({ document, index }) => ({
        name: `${file.name}#${index}`,
        text: document.toString({ lineWidth: 0 }),
        packagerV3: file.packagerV3,
      })),
  );
}

const KINDS: readonly MutationKind[] = [
  'delete-key',
  'scalar-for-list',
  'list-for-scalar',
  'mapping-for-sequence',
  'sequence-for-mapping',
  'scalar-for-mapping',
  'unknown-key-top',
  'unknown-key-data',
  'unknown-key-nested',
  'empty-string',
  'whitespace-string',
  'null-value',
  'bad-nevra',
  'bad-date',
  'number-for-string',
  'number-in-list',
  'boolean-for-string',
  'duplicate-entry',
  'duplicate-key',
];

/** `count` mutated documents, the same ones for the same seed and seeds. */
export function mutateDocuments(seeds: SeedDocument[], count: number, randomSeed: number): MutatedDocument[] {
  const random = seededRandom(randomSeed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const out: MutatedDocument[] = [];
  // Parsing is the costly part: each seed is parsed once and cloned for each of its mutations.
  const parsed = new Map<SeedDocument, Document>();
  for (let attempt = 0; out.length < count && attempt < count * 20; attempt += 1) {
    const seed = pick(seeds);
    const kind = KINDS[out.length % KINDS.length] as MutationKind;
    let original = parsed.get(seed);
    if (!original) parsed.set(seed, (original = parseDocument(seed.text, { uniqueKeys: false })));
    const document = original.clone();
    const path = applyMutation(document, kind, pick);
    if (path === undefined) continue;
    out.push({ seed: seed.name, kind, path, text: document.toString({ lineWidth: 0 }), packagerV3: seed.packagerV3 });
  }
  return out;
}

function sitesOf(node: Node, path: Path = [], parent?: YAMLMap | YAMLSeq, key?: string | number, pair?: Pair): Site[] {
  const here: Site = { path, node, ...(parent && { parent, key }), ...(pair && { pair }) };
  if (isMap(node)) {
    return [
      here,
      ...node.items.flatMap((pair) => {
        const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        return isNode(pair.value) ? sitesOf(pair.value, [...path, name], node, name, pair) : [];
      }),
    ];
  }
  if (isSeq(node)) {
    return [
      here,
      ...node.items.flatMap((item, index) => (isNode(item) ? sitesOf(item, [...path, index], node, index) : [])),
    ];
  }
  return [here];
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}

function replace(document: Document, site: Site, value: Node): void {
  if (!site.parent) document.contents = value as never;
  else if (site.pair) site.pair.value = value;
  else site.parent.items[site.key as number] = value;
}

const sequenceOf = (node: Node): YAMLSeq => Object.assign(new YAMLSeq(), { items: [node] });
const quoted = (value: string): Scalar => Object.assign(new Scalar(value), { type: Scalar.QUOTE_DOUBLE });
const plain = (value: string | number | boolean | null): Scalar => new Scalar(value);

/** Applies `kind` at a random fitting place; the changed node's path, or undefined when nothing fits. */
function applyMutation(
  document: Document,
  kind: MutationKind,
  pick: <T>(items: readonly T[]) => T,
): string | undefined {
  if (!document.contents || !isNode(document.contents)) return undefined;
  const sites = sitesOf(document.contents);
  const under = (site: Site) => site.path.length > 0;
  const scalars = sites.filter((site) => under(site) && isScalar(site.node) && site.path.length > 1);
  const lists = sites.filter((site) => under(site) && isSeq(site.node));
  const maps = sites.filter((site) => under(site) && isMap(site.node));
  const text = (site: Site) => String((site.node as Scalar).value ?? '');
  const choose = (candidates: Site[]) => (candidates.length > 0 ? pick(candidates) : undefined);
  const done = (site: Site | undefined, change: (site: Site) => void) => {
    if (!site) return undefined;
    change(site);
    return site.path.join('.');
  };
  switch (kind) {
    case 'delete-key':
      return done(choose(sites.filter((site) => site.pair)), (site) => {
        const parent = site.parent as YAMLMap;
        parent.items = parent.items.filter((pair) => pair !== site.pair);
      });
    case 'scalar-for-list':
      return done(choose(lists.filter((site) => (site.node as YAMLSeq).items.every(isScalar))), (site) => {
        const first = (site.node as YAMLSeq).items[0] as Scalar | undefined;
        replace(document, site, plain(first ? String(first.value) : 'single-value'));
      });
    case 'list-for-scalar':
      return done(choose(scalars), (site) => replace(document, site, sequenceOf(site.node)));
    case 'mapping-for-sequence':
      return done(choose(lists), (site) => {
        const map = new YAMLMap();
        for (const [index, item] of (site.node as YAMLSeq).items.entries()) {
          map.items.push(new Pair(plain(isScalar(item) ? String(item.value) : `key${index}`), plain('value')));
        }
        if (map.items.length === 0) map.items.push(new Pair(plain('key'), plain('value')));
        replace(document, site, map);
      });
    case 'sequence-for-mapping':
      return done(choose(maps), (site) => {
        const seq = new YAMLSeq();
        for (const pair of (site.node as YAMLMap).items) seq.items.push(plain(String((pair.key as Scalar).value)));
        replace(document, site, seq);
      });
    case 'scalar-for-mapping':
      return done(choose(maps), (site) => replace(document, site, plain('a-scalar')));
    case 'unknown-key-top':
      return done(choose(sites.filter((site) => site.path.length === 0 && isMap(site.node))), (site) =>
        (site.node as YAMLMap).set('unknown_key', plain(pick(['value', '1', 'true']))),
      );
    case 'unknown-key-data':
      return done(choose(sites.filter((site) => site.path.join('.') === 'data' && isMap(site.node))), (site) =>
        (site.node as YAMLMap).set('unknown_key', plain('value')),
      );
    case 'unknown-key-nested':
      return done(choose(maps.filter((site) => site.path.length > 1)), (site) => {
        (site.node as YAMLMap).set('unknown_key', pick([plain('value'), sequenceOf(plain('a'))]));
      });
    case 'empty-string':
      return done(choose(scalars), (site) => replace(document, site, quoted('')));
    case 'whitespace-string':
      return done(choose(scalars), (site) => replace(document, site, quoted(pick([' ', '  \t', ' x ']))));
    case 'null-value':
      return done(choose(scalars.filter((site) => site.parent && isMap(site.parent))), (site) =>
        replace(document, site, plain(null)),
      );
    case 'bad-nevra': {
      const nevras = scalars.filter(
        (site) => /artifacts/.test(site.path.join('.')) || /\.rpm-map\./.test(site.path.join('.')),
      );
      return done(choose(nevras), (site) =>
        replace(
          document,
          site,
          plain(
            pick([
              'not-a-nevra',
              'foo-1.0',
              'foo-1.0-1.x86_64',
              'foo-0:1.0-1',
              'foo-x:1.0-1.noarch',
              '-0:1-1.noarch',
              'foo-0:1.0-1.',
            ]),
          ),
        ),
      );
    }
    case 'bad-date': {
      const dates = scalars.filter((site) => /(eol|modified|eol_date)$/.test(String(site.key)));
      return done(choose(dates), (site) =>
        replace(
          document,
          site,
          plain(pick(['not-a-date', '2020-13-45', '2020-01', '20200101', '2020-1-1', '2020-01-01T00:00Z', '0'])),
        ),
      );
    }
    case 'number-for-string':
      return done(choose(scalars.filter((site) => !/^\d+$/.test(text(site)))), (site) =>
        replace(document, site, plain(pick([42, 3.14, -1, 0]))),
      );
    case 'number-in-list':
      return done(choose(scalars.filter((site) => site.parent && isSeq(site.parent))), (site) =>
        replace(document, site, plain(pick([1, 2.5, -7]))),
      );
    case 'boolean-for-string':
      return done(choose(scalars.filter((site) => !/^(true|false)$/.test(text(site)))), (site) =>
        replace(document, site, plain(pick([true, false]))),
      );
    case 'duplicate-entry':
      return done(choose(lists.filter((site) => (site.node as YAMLSeq).items.length > 0)), (site) => {
        const items = (site.node as YAMLSeq).items;
        items.push((items[0] as Node).clone() as never);
      });
    case 'duplicate-key':
      return done(choose(maps.filter((site) => (site.node as YAMLMap).items.length > 0)), (site) => {
        const items = (site.node as YAMLMap).items;
        const first = items[0] as Pair;
        items.push(new Pair(first.key, pick([first.value, plain('another')])));
      });
  }
}
