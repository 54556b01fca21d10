// The values of YAML scalars exactly as the `yaml` package (2.x) gives them, for yaml-block-reader.ts:
// line folding of multi-line plain and quoted scalars, double-quoted escapes, block scalars, and the
// core schema's reading of plain scalars (null, booleans, numbers). Copied rules, not a reinterpretation:
// test/domain/modulemd/yaml-block-reader.test.ts compares the two readers on every fixture and edge case.
import type { JsonValue } from './yaml-trees';

/** Thrown (never caught as an error) when a scalar uses something only the `yaml` package reads right. */
export const UNSUPPORTED = Object.freeze({ unsupported: true });

/** Multi-line plain and single-quoted scalars: one line break folds to a space, n+1 breaks to n. */
export function unfoldLines(source: string): string {
  const first = source.indexOf('\n');
  if (first < 0) return source;
  const lines = source.split('\n');
  let result = lines[0]!.replace(/ +$/, '');
  let separator = ' ';
  for (let i = 1; i < lines.length - 1; i += 1) {
    const line = lines[i]!.replace(/^ +| +$/g, '');
    if (line === '') {
      if (separator === '\n') result += separator;
      else separator = '\n';
    } else {
      result += separator + line;
      separator = ' ';
    }
  }
  return result + separator + lines[lines.length - 1]!.replace(/^ +/, '');
}

export function singleQuotedValue(inner: string): string {
  return unfoldLines(inner).replace(/''/g, "'");
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** The text between the double quotes (tabs and carriage returns never reach here). */
export function doubleQuotedValue(inner: string): string {
  let result = '';
  for (let i = 0; i < inner.length; i += 1) {
    const ch = inner[i]!;
    if (ch === '\n') {
      let fold = '';
      while (inner[i + 1] === ' ' || inner[i + 1] === '\n') {
        if (inner[i + 1] === '\n') fold += '\n';
        i += 1;
      }
      result += fold || ' ';
    } else if (ch === '\\') {
      const next = inner[++i];
      if (next === undefined) throw UNSUPPORTED;
      const escaped = ESCAPES[next];
      if (escaped !== undefined) result += escaped;
      else if (next === '\n') {
        while (inner[i + 1] === ' ') i += 1;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const digits = inner.substr(i + 1, length);
        if (digits.length !== length || !/^[0-9a-fA-F]+$/.test(digits)) throw UNSUPPORTED;
        const code = parseInt(digits, 16);
        if (code > 0x10ffff) throw UNSUPPORTED;
        result += String.fromCodePoint(code);
        i += length;
      } else throw UNSUPPORTED;
    } else if (ch === ' ') {
      const start = i;
      while (inner[i + 1] === ' ') i += 1;
      if (inner[i + 1] !== '\n') result += inner.slice(start, i + 1);
    } else result += ch;
  }
  return result;
}

export interface BlockScalarLines {
  /** Content lines without the block's indentation; '' for an empty line. */
  lines: string[];
  folded: boolean;
  chomping: 'clip' | 'strip' | 'keep';
}

/** A literal (|) or folded (>) block scalar whose lines are all at the block's indentation. */
export function blockScalarValue({ lines, folded, chomping }: BlockScalarLines): string {
  let last = lines.length - 1;
  while (last >= 0 && lines[last] === '') last -= 1;
  const trailing = lines.length - 1 - last;
  if (last < 0) return chomping === 'keep' ? '\n'.repeat(lines.length) : '';
  let body = '';
  let first = 0;
  while (lines[first] === '') {
    body += '\n';
    first += 1;
  }
  body += lines[first];
  let empty = 0;
  for (let i = first + 1; i <= last; i += 1) {
    const line = lines[i]!;
    if (line === '') {
      empty += 1;
      continue;
    }
    body += folded ? (empty === 0 ? ' ' : '\n'.repeat(empty)) : '\n'.repeat(empty + 1);
    body += line;
    empty = 0;
  }
  if (chomping === 'strip') return body;
  return chomping === 'keep' ? body + '\n'.repeat(trailing + 1) : `${body}\n`;
}

const CORE_NULL = /^(?:~|[Nn]ull|NULL)?$/;
const CORE_BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const CORE_INT = /^[-+]?[0-9]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const CORE_FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;

/**
 * A plain scalar as yaml-source.ts's toJsonValue reads it: the core schema's type, except numbers
 * whose text would change (1.10, 0o17, 0x1f, .inf, beyond 2^53), which stay text.
 */
export function plainJsonValue(text: string): JsonValue {
  if (CORE_NULL.test(text)) return null;
  if (CORE_BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
  let value: number;
  if (CORE_INT.test(text)) value = parseInt(text, 10);
  else if (CORE_FLOAT_EXP.test(text) || CORE_FLOAT.test(text)) value = parseFloat(text);
  else return text;
  return String(value) === text || (Number.isSafeInteger(value) && CORE_INT.test(text)) ? value : text;
}
