// Canonical JSON for digests: object keys sorted by code point at every depth, no whitespace, undefined object
// members dropped (as JSON.stringify drops them), so two equal values always give the same text. Values JSON
// cannot carry (bigint, functions, symbols, NaN and infinities, undefined at the top or in a list) are reported
// instead of being silently turned into something else.
import type { ModuleBuildResult } from './module-build-error';
import { moduleBuildError } from './module-build-error';
import { compareCodePoints } from './python-json';

export type CanonicalJsonResult = ModuleBuildResult<{ text: string }>;

function unsupported(path: string, what: string): CanonicalJsonResult {
  return {
    ok: false,
    error: moduleBuildError('not-json', `${path || '(value)'} is ${what}, which has no JSON form`, { path }),
  };
}

export function canonicalJson(value: unknown, path = ''): CanonicalJsonResult {
  if (value === null || typeof value === 'boolean' || typeof value === 'string')
    return { ok: true, text: JSON.stringify(value) };
  if (typeof value === 'number')
    return Number.isFinite(value) ? { ok: true, text: JSON.stringify(value) } : unsupported(path, String(value));
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const [index, item] of value.entries()) {
      const result = canonicalJson(item, `${path}[${index}]`);
      if (!result.ok) return result;
      items.push(result.text);
    }
    return { ok: true, text: `[${items.join(',')}]` };
  }
  // toString rather than a prototype check: it holds across realms (workflow sandboxes), and it tells a Date or a
  // Map, whose members Object.entries does not see, from plain data.
  if (Object.prototype.toString.call(value) === '[object Object]') {
    const members: string[] = [];
    const entries = Object.entries(value as Record<string, unknown>).filter(([, member]) => member !== undefined);
    for (const [key, member] of entries.sort(([a], [b]) => compareCodePoints(a, b))) {
      const result = canonicalJson(member, path ? `${path}.${key}` : key);
      if (!result.ok) return result;
      members.push(`${JSON.stringify(key)}:${result.text}`);
    }
    return { ok: true, text: `{${members.join(',')}}` };
  }
  if (value === undefined) return unsupported(path, 'undefined');
  const kind = typeof value === 'object' ? Object.prototype.toString.call(value).slice(8, -1) : typeof value;
  return unsupported(path, `a ${kind}`);
}
