// What a piece of free text names: a component (optionally @branch), a module stream (name:stream),
// a module build (NSVC), a component build (NVR), a compose id or a commit. Text that could be two
// things (an NVR-looking name, a hex-looking name) gives both, most specific first, and the caller
// takes the first one the store knows.
import { parseNsvc } from '../module-build/nsvc';

export type PipelineTarget =
  | { kind: 'component'; name: string; branch: string | null }
  | { kind: 'module'; name: string; stream: string }
  | { kind: 'nsvc'; nsvc: string; name: string; stream: string; version: string; context: string }
  | { kind: 'nvr'; nvr: string; name: string; version: string; release: string }
  | { kind: 'compose'; composeId: string }
  | { kind: 'commit'; hash: string };

export type ClassifiedQuery = { ok: true; candidates: PipelineTarget[] } | { ok: false; message: string };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const HEX = /^[0-9a-f]{7,64}$/;
const COMPOSE_ID = /^[A-Za-z][A-Za-z0-9-]*-[^-]+-\d{8}(\.[a-z]+)?\.\d+$/;

const fail = (message: string): ClassifiedQuery => ({ ok: false, message });

export function classifyPipelineQuery(input: string): ClassifiedQuery {
  const text = input.trim();
  if (text === '') return fail('is empty; give a component, name:stream, an NSVC, an NVR, a compose id or a commit');
  if (text.length > 300) return fail('is longer than 300 characters');
  if (text.includes(':')) return classifyModule(text);
  if (text.includes('@')) return classifyComponentOnBranch(text);
  if (!NAME.test(text)) return fail(`'${text}' has characters no component, build or compose name has`);
  const candidates: PipelineTarget[] = [];
  if (HEX.test(text)) candidates.push({ kind: 'commit', hash: text });
  const nvr = splitNvr(text);
  // a compose id reads as name-version-release too; it is the compose
  if (COMPOSE_ID.test(text)) candidates.push({ kind: 'compose', composeId: text });
  else if (nvr) candidates.push(nvr);
  candidates.push({ kind: 'component', name: text, branch: null });
  return { ok: true, candidates };
}

function classifyModule(text: string): ClassifiedQuery {
  const parts = text.split(':');
  if (parts.length === 2) {
    const [name, stream] = parts as [string, string];
    if (!NAME.test(name) || !BRANCH.test(stream)) return fail(`'${text}' is not name:stream`);
    return { ok: true, candidates: [{ kind: 'module', name, stream }] };
  }
  const parsed = parseNsvc(text);
  if (!parsed.ok) return fail(parsed.error.message);
  return { ok: true, candidates: [{ kind: 'nsvc', nsvc: text, ...parsed.nsvc }] };
}

function classifyComponentOnBranch(text: string): ClassifiedQuery {
  const [name, branch, ...rest] = text.split('@');
  if (rest.length > 0 || !name || !branch || !NAME.test(name) || !BRANCH.test(branch))
    return fail(`'${text}' is not component@branch`);
  return { ok: true, candidates: [{ kind: 'component', name, branch }] };
}

/** name-version-release: the last two dash-separated parts, the version starting with a digit. */
export function splitNvr(text: string): Extract<PipelineTarget, { kind: 'nvr' }> | undefined {
  const release = text.lastIndexOf('-');
  const version = text.lastIndexOf('-', release - 1);
  if (version <= 0 || release <= version + 1 || release === text.length - 1) return undefined;
  const v = text.slice(version + 1, release);
  if (!/^[0-9]/.test(v)) return undefined;
  return { kind: 'nvr', nvr: text, name: text.slice(0, version), version: v, release: text.slice(release + 1) };
}
