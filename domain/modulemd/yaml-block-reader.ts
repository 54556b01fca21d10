// A fast reader for the plain block YAML that module indexes are written in (block mappings and
// sequences, one-line flow collections, plain, quoted and block scalars, comments). It reads one
// document, between two offsets of a larger text, into the same trees yaml-source.ts builds with the
// `yaml` package, 10 to 15 times faster and without positions. It refuses (throws UNSUPPORTED)
// anything else or anything it is not sure of — anchors, tags, complex keys, tabs, odd indentation,
// repeated keys, YAML errors — and the caller then reads that document with the `yaml` package, which also locates
// errors.
import type { JsonValue, TextTree } from './yaml-trees';
import {
  blockScalarValue,
  doubleQuotedValue,
  plainJsonValue,
  singleQuotedValue,
  unfoldLines,
  UNSUPPORTED,
} from './yaml-scalar-values';

export { UNSUPPORTED } from './yaml-scalar-values';

/** What a span holding only comments, blank lines or a `...` reads as: no document at all. */
export const NO_DOCUMENT = Object.freeze({ noDocument: true });

type Tree = TextTree | JsonValue;
type Mapping = { [key: string]: Tree };

const SPACE = 32;
const HASH = 35;
const NEWLINE = 10;

/**
 * The document in text[start, end): its text tree (every scalar its source text, an empty plain value
 * null), or with `json` its JSON tree (plain scalars typed as the core schema reads them).
 */
export function readBlockYamlDocument(
  text: string,
  start: number,
  end: number,
  json: boolean,
): Tree | typeof NO_DOCUMENT {
  return new BlockYamlReader(text, start, end, json).document();
}

class BlockYamlReader {
  /** The current line is s[lineStart, lineEnd); indent is -1 past the end and on a `---`/`...` line. */
  private lineStart: number;
  private lineEnd = 0;
  private indent = 0;

  constructor(
    private readonly s: string,
    start: number,
    private readonly end: number,
    private readonly json: boolean,
  ) {
    this.lineStart = start;
    this.load();
  }

  document(): Tree | typeof NO_DOCUMENT {
    this.skipToContent();
    let explicit = false;
    if (this.atMarker('---')) {
      this.endOfLine(this.lineStart + 3);
      explicit = true;
      this.advance();
      this.skipToContent();
    }
    const root = this.indent >= 0 ? this.blockNode() : undefined;
    if (this.atMarker('...')) {
      this.endOfLine(this.lineStart + 3);
      explicit = true;
      this.advance();
      this.skipToContent();
    }
    if (this.lineStart < this.end) throw UNSUPPORTED;
    if (root !== undefined) return root;
    // A `---` or a `...` alone is an empty document; comments alone are none.
    return explicit ? null : NO_DOCUMENT;
  }

  private load(): void {
    if (this.lineStart >= this.end) {
      this.lineEnd = this.end;
      this.indent = -1;
      return;
    }
    let lineEnd = this.s.indexOf('\n', this.lineStart);
    if (lineEnd < 0 || lineEnd > this.end) lineEnd = this.end;
    this.lineEnd = lineEnd;
    let i = this.lineStart;
    while (i < lineEnd && this.s.charCodeAt(i) === SPACE) i += 1;
    this.indent = i - this.lineStart;
  }

  private advance(): void {
    this.lineStart = this.lineEnd + 1;
    this.load();
  }

  /** Skips blank and comment lines; a document marker line gets indent -1, which ends every node. */
  private skipToContent(): void {
    while (this.indent >= 0) {
      const at = this.lineStart + this.indent;
      if (at === this.lineEnd || this.s.charCodeAt(at) === HASH) {
        this.advance();
        continue;
      }
      if (this.indent === 0 && (this.marker(at, '---') || this.marker(at, '...'))) this.indent = -1;
      return;
    }
  }

  private marker(at: number, marker: string): boolean {
    return this.s.startsWith(marker, at) && (at + 3 === this.lineEnd || this.s.charCodeAt(at + 3) === SPACE);
  }

  private atMarker(marker: string): boolean {
    return this.lineStart < this.end && this.indent === -1 && this.marker(this.lineStart, marker);
  }

  /** After a token: spaces, then the end of the line or a comment. */
  private endOfLine(from: number): void {
    let i = from;
    while (i < this.lineEnd && this.s.charCodeAt(i) === SPACE) i += 1;
    if (i === this.lineEnd || (i > from && this.s.charCodeAt(i) === HASH)) return;
    throw UNSUPPORTED;
  }

  private isSequenceEntry(at: number): boolean {
    return this.s.charCodeAt(at) === 45 && (at + 1 === this.lineEnd || this.s.charCodeAt(at + 1) === SPACE);
  }

  /** A mapping or sequence starting on the current (content) line. */
  private blockNode(): Tree {
    const at = this.lineStart + this.indent;
    if (this.isSequenceEntry(at)) return this.sequence(this.indent);
    const key = this.keyAt(at);
    if (!key) throw UNSUPPORTED;
    return this.mapping(this.indent, key);
  }

  private sequence(indent: number): Tree[] {
    const items: Tree[] = [];
    for (;;) {
      let i = this.lineStart + indent + 1;
      while (i < this.lineEnd && this.s.charCodeAt(i) === SPACE) i += 1;
      if (i === this.lineEnd || this.s.charCodeAt(i) === HASH) {
        this.advance();
        this.skipToContent();
        items.push(this.indent > indent ? this.blockNode() : null);
      } else if (this.isSequenceEntry(i)) {
        throw UNSUPPORTED;
      } else {
        const key = this.keyAt(i);
        items.push(key ? this.mapping(i - this.lineStart, key) : this.inlineValue(i, indent));
      }
      if (this.indent < indent) return items;
      if (this.indent > indent) throw UNSUPPORTED;
      if (!this.isSequenceEntry(this.lineStart + indent)) return items;
    }
  }

  private mapping(indent: number, first: { key: string; after: number }): Mapping {
    const map = this.newMapping();
    let entry = first;
    for (;;) {
      if (this.has(map, entry.key)) throw UNSUPPORTED;
      map[entry.key] = this.mappingValue(indent, entry.after);
      if (this.indent < indent) return map;
      if (this.indent > indent) throw UNSUPPORTED;
      const next = this.keyAt(this.lineStart + indent);
      if (!next) throw UNSUPPORTED;
      entry = next;
    }
  }

  private mappingValue(indent: number, after: number): Tree {
    let i = after;
    while (i < this.lineEnd && this.s.charCodeAt(i) === SPACE) i += 1;
    if (i < this.lineEnd && this.s.charCodeAt(i) !== HASH) return this.inlineValue(i, indent);
    this.advance();
    this.skipToContent();
    if (this.indent > indent) return this.blockNode();
    // A sequence may sit at its key's indentation.
    if (this.indent === indent && this.isSequenceEntry(this.lineStart + indent)) return this.sequence(indent);
    return null;
  }

  /** `key:` at `at` (a plain or one-line quoted key followed by ": " or ":" at the end of the line). */
  private keyAt(at: number): { key: string; after: number } | undefined {
    const s = this.s;
    const first = s[at]!;
    if (first === '"' || first === "'") {
      const close = this.closingQuoteOnLine(at);
      if (close < 0) return undefined;
      let i = close + 1;
      while (i < this.lineEnd && s.charCodeAt(i) === SPACE) i += 1;
      if (s[i] !== ':' || (i + 1 < this.lineEnd && s.charCodeAt(i + 1) !== SPACE)) return undefined;
      return { key: this.quotedText(first, at + 1, close), after: i + 1 };
    }
    if (KEY_START_INDICATORS.includes(first)) return undefined;
    let colon = at;
    for (;;) {
      colon = this.findOnLine(':', colon + 1);
      if (colon < 0) return undefined;
      if (colon + 1 === this.lineEnd || s.charCodeAt(colon + 1) === SPACE) break;
    }
    const comment = this.findOnLine(' #', at);
    if (comment >= 0 && comment < colon) return undefined;
    let keyEnd = colon;
    while (s.charCodeAt(keyEnd - 1) === SPACE) keyEnd -= 1;
    const key = s.slice(at, keyEnd);
    if (key.length > 1000 || key === '__proto__') throw UNSUPPORTED;
    return { key, after: colon + 1 };
  }

  /** A value that starts on the line of its key or sequence entry; `parent` is that line's node indent. */
  private inlineValue(at: number, parent: number): Tree {
    const first = this.s[at];
    let value: Tree;
    if (first === '[' || first === '{') {
      const [flow, next] = this.flowNode(at);
      this.endOfLine(next);
      this.advance();
      value = flow;
    } else if (first === '|' || first === '>') {
      value = this.blockScalar(at, parent);
    } else if (first === '"' || first === "'") {
      const close = this.closingQuote(at, parent);
      this.endOfLine(close + 1);
      value = this.quotedText(first, at + 1, close);
      this.advance();
    } else {
      value = this.plainScalar(at, parent);
    }
    this.skipToContent();
    if (this.indent > parent) throw UNSUPPORTED;
    return value;
  }

  /**
   * Text trees are read once (by zod, which copies them) and dropped: without a prototype they are
   * dictionaries from the start, so the many distinct keys of an index (component names) do not each
   * make V8 build hidden classes, which cost more than the reading itself. JSON trees are kept (xmd),
   * so they stay ordinary objects.
   */
  private newMapping(): Mapping {
    return this.json ? {} : (Object.create(null) as Mapping);
  }

  /**
   * A repeated key is left to the `yaml` package, which lists the repeats with their paths (libmodulemd
   * refuses some): one lookup per key, no path kept here. Text trees have no prototype, JSON trees do.
   */
  private has(map: Mapping, key: string): boolean {
    return this.json ? Object.hasOwn(map, key) : map[key] !== undefined;
  }

  private plain(text: string): Tree {
    return this.json ? plainJsonValue(text) : text;
  }

  /** A plain scalar, continued on more-indented lines (folded) unless a comment ends it. */
  private plainScalar(at: number, parent: number): Tree {
    const s = this.s;
    const first = s[at]!;
    if (PLAIN_START_INDICATORS.includes(first)) throw UNSUPPORTED;
    if (first === '-' && (at + 1 === this.lineEnd || s[at + 1] === ' ')) throw UNSUPPORTED;
    const firstEnd = this.plainLineEnd(at);
    if (firstEnd.comment) {
      this.advance();
      return this.plain(s.slice(at, firstEnd.end));
    }
    let lastEnd = firstEnd.end;
    let lastLineEnd = this.lineEnd;
    for (this.advance(); this.indent >= 0; this.advance()) {
      const lineAt = this.lineStart + this.indent;
      if (lineAt === this.lineEnd) continue;
      if (this.indent <= parent || s.charCodeAt(lineAt) === HASH) break;
      if (CONTINUATION_INDICATORS.includes(s[lineAt]!)) throw UNSUPPORTED;
      const lineEnd = this.plainLineEnd(lineAt);
      if (lineEnd.comment) throw UNSUPPORTED;
      lastEnd = lineEnd.end;
      lastLineEnd = this.lineEnd;
    }
    this.lineStart = lastLineEnd + 1;
    this.load();
    const source = s.slice(at, lastEnd);
    return this.plain(lastLineEnd === firstEnd.lineEnd ? source : unfoldLines(source));
  }

  /** Where a plain scalar's text on this line ends: before trailing spaces and a comment. */
  private plainLineEnd(at: number): { end: number; comment: boolean; lineEnd: number } {
    const s = this.s;
    let end = this.lineEnd;
    const hash = this.findOnLine(' #', at);
    const comment = hash >= 0;
    if (comment) end = hash;
    while (end > at && s.charCodeAt(end - 1) === SPACE) end -= 1;
    const indicator = this.findOnLine(': ', at);
    if ((indicator >= 0 && indicator < end) || s[end - 1] === ':') throw UNSUPPORTED;
    return { end, comment, lineEnd: this.lineEnd };
  }

  /** The offset of the quote closing the scalar opened at `at` on the same line, or -1. */
  private closingQuoteOnLine(at: number): number {
    const s = this.s;
    const quote = s.charCodeAt(at);
    for (let i = at + 1; i < this.lineEnd; i += 1) {
      const c = s.charCodeAt(i);
      if (c === 92 && quote === 34) i += 1;
      else if (c === quote) {
        if (quote === 39 && s.charCodeAt(i + 1) === 39) i += 1;
        else return i;
      }
    }
    return -1;
  }

  /**
   * The offset of the quote closing the scalar opened at `at`, which may go on over lines indented more
   * than `parent`; the current line is then the closing quote's.
   */
  private closingQuote(at: number, parent: number): number {
    const s = this.s;
    const quote = s.charCodeAt(at);
    for (let i = at + 1; ; i += 1) {
      if (i >= this.lineEnd) {
        if (this.lineEnd >= this.end) throw UNSUPPORTED;
        this.advance();
        const blank = this.lineStart + this.indent === this.lineEnd;
        if (this.indent < 0 || (!blank && this.indent <= parent)) throw UNSUPPORTED;
        i = this.lineStart - 1;
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === 92 && quote === 34) {
        if (i + 1 < this.lineEnd) i += 1;
      } else if (c === quote) {
        if (quote === 39 && s.charCodeAt(i + 1) === 39) i += 1;
        else return i;
      }
    }
  }

  private quotedText(quote: string, from: number, to: number): string {
    const inner = this.s.slice(from, to);
    return quote === "'" ? singleQuotedValue(inner) : doubleQuotedValue(inner);
  }

  /** `|` or `>`, with an optional chomping indicator; lines indented more than `parent`. */
  private blockScalar(at: number, parent: number): string {
    const s = this.s;
    const folded = s[at] === '>';
    let chomping: 'clip' | 'strip' | 'keep' = 'clip';
    let i = at + 1;
    if (s[i] === '-' || s[i] === '+') chomping = s[i++] === '-' ? 'strip' : 'keep';
    this.endOfLine(i);
    const lines: string[] = [];
    let indent = -1;
    let widestBlank = 0;
    for (this.advance(); this.indent >= 0; this.advance()) {
      if (this.lineStart + this.indent === this.lineEnd) {
        widestBlank = Math.max(widestBlank, this.indent);
        lines.push('');
        continue;
      }
      if (indent < 0) {
        if (this.indent <= parent) break;
        indent = this.indent;
      } else if (this.indent < indent) break;
      if (folded && this.indent > indent) throw UNSUPPORTED;
      lines.push(s.slice(this.lineStart + indent, this.lineEnd));
    }
    // Spaces beyond the indentation on a blank line, a text ending inside the scalar without a line
    // break and keeping the breaks of an empty scalar are each read in a way of their own.
    if (indent < 0 ? chomping === 'keep' : widestBlank > indent) throw UNSUPPORTED;
    if (this.lineStart >= this.end && s.charCodeAt(this.end - 1) !== NEWLINE) throw UNSUPPORTED;
    return blockScalarValue({ lines, folded, chomping });
  }

  /** A flow sequence or mapping (on one line), or a scalar inside one. */
  private flowNode(at: number): [Tree, number] {
    const s = this.s;
    const first = s[at];
    if (first === '[') {
      const items: Tree[] = [];
      let i = this.skipSpaces(at + 1);
      if (s[i] === ']') return [items, i + 1];
      for (;;) {
        const [item, next] = this.flowNode(i);
        items.push(item);
        i = this.skipSpaces(next);
        if (s[i] === ']') return [items, i + 1];
        if (s[i] !== ',') throw UNSUPPORTED;
        i = this.skipSpaces(i + 1);
        if (s[i] === ']') throw UNSUPPORTED;
      }
    }
    if (first === '{') {
      const map = this.newMapping();
      let i = this.skipSpaces(at + 1);
      if (s[i] === '}') return [map, i + 1];
      for (;;) {
        const [key, afterKey] = this.flowScalar(i, true);
        i = this.skipSpaces(afterKey);
        if (s[i] !== ':' || s[i + 1] !== ' ' || key === '__proto__') throw UNSUPPORTED;
        if (this.has(map, key)) throw UNSUPPORTED;
        const [value, next] = this.flowNode(this.skipSpaces(i + 1));
        map[key] = value;
        i = this.skipSpaces(next);
        if (s[i] === '}') return [map, i + 1];
        if (s[i] !== ',') throw UNSUPPORTED;
        i = this.skipSpaces(i + 1);
        if (s[i] === '}') throw UNSUPPORTED;
      }
    }
    const [text, next] = this.flowScalar(at, false);
    return [first === '"' || first === "'" ? text : this.plain(text), next];
  }

  /** A one-line quoted or plain scalar in a flow collection: its text and the offset after it. */
  private flowScalar(at: number, key: boolean): [string, number] {
    const s = this.s;
    const first = s[at];
    if (first === '"' || first === "'") {
      const close = this.closingQuoteOnLine(at);
      if (close < 0) throw UNSUPPORTED;
      return [this.quotedText(first, at + 1, close), close + 1];
    }
    if (at >= this.lineEnd || FLOW_PLAIN_START_INDICATORS.includes(first!)) throw UNSUPPORTED;
    if (first === '-' && (s[at + 1] === ' ' || FLOW_PLAIN_END.includes(s[at + 1] ?? ' '))) throw UNSUPPORTED;
    let i = at;
    while (i < this.lineEnd && !FLOW_PLAIN_END.includes(s[i]!)) i += 1;
    if (i >= this.lineEnd || s[i] === '#' || s[i] === '[' || s[i] === '{' || (s[i] === ':' && !key)) throw UNSUPPORTED;
    let end = i;
    while (s.charCodeAt(end - 1) === SPACE) end -= 1;
    return [s.slice(at, end), i];
  }

  /** indexOf bounded by the end of the current line (a plain indexOf may scan the rest of the text). */
  private findOnLine(needle: string, from: number): number {
    const s = this.s;
    const first = needle.charCodeAt(0);
    const last = this.lineEnd - needle.length;
    for (let i = from; i <= last; i += 1) {
      if (s.charCodeAt(i) === first && (needle.length === 1 || s.startsWith(needle, i))) return i;
    }
    return -1;
  }

  private skipSpaces(from: number): number {
    let i = from;
    while (i < this.lineEnd && this.s.charCodeAt(i) === SPACE) i += 1;
    return i;
  }
}

const KEY_START_INDICATORS = '-?:,[]{}#&*!|>%@`';
const PLAIN_START_INDICATORS = '?:,[]{}#&*!|>%@`';
const CONTINUATION_INDICATORS = '-?:,[]{}#&*!|>\'"%@`';
const FLOW_PLAIN_START_INDICATORS = '?:,[]{}#&*!|>\'"%@` ';
const FLOW_PLAIN_END = ',[]{}:#';
