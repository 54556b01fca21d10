// The text Python's json.dumps(value) produces with its default arguments, which is what MBS hashes for contexts:
// ", " and ": " separators, non-ASCII escaped as \uXXXX (ensure_ascii=True), keys in the order given. Only the
// shapes MBS hashes are supported: strings, lists, and dicts (as Maps: a JS object would move keys that look like
// integers to the front, and Python keeps the order it is given).

export type PythonJsonValue = string | readonly PythonJsonValue[] | ReadonlyMap<string, PythonJsonValue>;

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function pythonJsonString(text: string): string {
  let out = '"';
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    const code = text.charCodeAt(index);
    const short = SHORT_ESCAPES[character];
    if (short) out += short;
    // Python escapes each UTF-16 code unit of a non-ASCII character, surrogate pairs included.
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += character;
  }
  return `${out}"`;
}

/** json.dumps(value) of Python 3 with default arguments; object keys keep their insertion order. */
export function pythonJsonDumps(value: PythonJsonValue): string {
  if (typeof value === 'string') return pythonJsonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const entries = [...(value as ReadonlyMap<string, PythonJsonValue>)];
  return `{${entries.map(([key, item]) => `${pythonJsonString(key)}: ${pythonJsonDumps(item)}`).join(', ')}}`;
}

/** Python's default string ordering (by code point), which sorted() applies to MBS's keys and streams. */
export function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a, (c) => c.codePointAt(0)!);
  const right = Array.from(b, (c) => c.codePointAt(0)!);
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    if (left[index] !== right[index]) return left[index]! - right[index]!;
  }
  return left.length - right.length;
}

/** The entries in Python's sorted() order by key: MBS's OrderedDict(sorted(d.items())). */
export function sortedByKey<T>(entries: Iterable<readonly [string, T]>): Map<string, T> {
  return new Map([...entries].sort(([a], [b]) => compareCodePoints(a, b)));
}
