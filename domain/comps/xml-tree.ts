// A small element tree over fast-xml-parser's ordered output, with the line each element starts on,
// so that the comps and variants readers can say which element of which line is wrong.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** the element's own text (its text nodes joined), untrimmed */
  text: string;
  line: number;
  /** e.g. comps/group[3]/packagelist */
  path: string;
}

export class XmlDocumentError extends Error {
  constructor(
    readonly element: string,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super(`${line === undefined ? '' : `line ${line}: `}${element}: ${problem}`);
  }
}

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  captureMetaData: true,
  // The standard entities of a large comps file (&amp; &lt; …) count as expansions; there are no custom ones.
  processEntities: { enabled: true, maxTotalExpansions: 10_000_000, maxExpandedLength: 100_000_000 },
});

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Parses a document and returns its root element, or throws XmlDocumentError with the line of a syntax error. */
export function readXml(source: string, rootTag: string): XmlElement {
  const valid = XMLValidator.validate(source);
  if (valid !== true) throw new XmlDocumentError('document', valid.err.line, valid.err.msg);
  const lineStarts = lineStartsOf(source);
  const nodes = parser.parse(source) as OrderedNode[];
  const roots = nodes.filter((n) => tagOf(n) !== undefined).map((n) => toElement(n, '', lineStarts));
  const root = roots[0];
  if (!root || root.tag !== rootTag) {
    throw new XmlDocumentError(
      'document',
      root?.line,
      `the root element must be <${rootTag}>, not <${root?.tag ?? 'nothing'}>`,
    );
  }
  return root;
}

function tagOf(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#comment');
}

function toElement(node: OrderedNode, parentPath: string, lineStarts: number[], index?: number): XmlElement {
  const tag = tagOf(node)!;
  const path = `${parentPath ? `${parentPath}/` : ''}${tag}${index === undefined ? '' : `[${index}]`}`;
  const meta = (node as unknown as Record<symbol, { startIndex?: number } | undefined>)[META];
  const line = meta?.startIndex === undefined ? 0 : lineOf(lineStarts, meta.startIndex);
  const raw = (node[tag] ?? []) as OrderedNode[];
  const counts = new Map<string, number>();
  const children: XmlElement[] = [];
  let text = '';
  for (const child of raw) {
    if ('#text' in child) {
      text += String(child['#text']);
      continue;
    }
    const childTag = tagOf(child);
    if (!childTag) continue;
    const n = (counts.get(childTag) ?? 0) + 1;
    counts.set(childTag, n);
    children.push(toElement(child, path, lineStarts, n));
  }
  return { tag, attrs: { ...(node[':@'] ?? {}) }, children, text, line, path };
}

function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The first problem zod found (a failed parse has at least one). */
export function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): {
  path: PropertyKey[];
  message: string;
} {
  return error.issues[0] ?? { path: [], message: 'invalid' };
}

export function fail(element: XmlElement, problem: string): never {
  throw new XmlDocumentError(element.path, element.line, problem);
}

/** The element's children, refusing any tag the reader does not know (nothing is dropped silently). */
export function childrenOf(element: XmlElement, known: readonly string[]): XmlElement[] {
  for (const child of element.children) {
    if (!known.includes(child.tag))
      fail(child, `<${child.tag}> is not expected in <${element.tag}> (expected ${known.join(', ')})`);
  }
  if (element.children.length > 0 && element.text.trim() !== '')
    fail(element, `unexpected text '${element.text.trim()}'`);
  return element.children;
}

export function attrsOf(element: XmlElement, known: readonly string[]): Record<string, string> {
  for (const name of Object.keys(element.attrs)) {
    if (!known.includes(name)) fail(element, `attribute ${name} is not expected on <${element.tag}>`);
  }
  return element.attrs;
}

export function textOf(element: XmlElement): string {
  if (element.children.length > 0) fail(element, `<${element.tag}> holds elements where text is expected`);
  return element.text;
}

export function booleanOf(element: XmlElement, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fail(element, `'${value}' is not true or false`);
}

export function integerOf(element: XmlElement, value: string): number {
  const v = value.trim();
  if (!/^-?[0-9]{1,7}$/.test(v)) fail(element, `'${value}' is not an integer`);
  return Number(v);
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

/** An XML document (declaration, DOCTYPE, root) from a builder tree of plain objects. */
export function writeXml(doctype: string, root: Record<string, unknown>): string {
  const body = builder.build({ '?xml': { '@version': '1.0', '@encoding': 'UTF-8' }, ...root }) as string;
  const [declaration, ...rest] = body.split('\n');
  // fast-xml-parser's builder writes no DOCTYPE; the comps and variants ones are fixed declarations.
  return [declaration, doctype, ...rest].join('\n');
}
