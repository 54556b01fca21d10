// diff: "what changed" from a previous compose of the release to this one, read from both composes'
// productmd metadata (rpms.json, modules.json). The full record goes to work/global/changes.json;
// the phase answers its path and the counts per variant.
import path from 'node:path';
import {
  diffComposes,
  summarizeComposeDiff,
  type ComposeContent,
  type ComposeDiff,
  type ComposeDiffSummary,
} from '../../domain/compose';
import { composeLayout, readJsonFile, writeJsonAtomic } from './compose-files';

export interface DiffPhaseInput {
  composeDir: string;
  /** null for the release's first compose */
  previousComposeDir: string | null;
}

export interface DiffPhaseOutput {
  changesFile: string;
  summary: ComposeDiffSummary;
}

type Doc<T> = { payload: { compose: { id: string } } & T };

/** What a compose holds, per variant, from its metadata. */
export function readComposeContent(composeDir: string): ComposeContent {
  const metadata = composeLayout(composeDir).metadata;
  const rpms = readJsonFile<Doc<{ rpms: Record<string, Record<string, Record<string, Record<string, unknown>>>> }>>(
    path.join(metadata, 'rpms.json'),
    'rpms.json',
  );
  const modules = readJsonFile<Doc<{ modules: Record<string, Record<string, Record<string, unknown>>> }>>(
    path.join(metadata, 'modules.json'),
    'modules.json',
  );
  const variants: ComposeContent['variants'] = {};
  const at = (uid: string) => (variants[uid] ??= { modules: [], rpms: [] });
  for (const [uid, arches] of Object.entries(rpms.payload.rpms))
    for (const bySrpm of Object.values(arches))
      for (const nevras of Object.values(bySrpm)) at(uid).rpms.push(...Object.keys(nevras));
  for (const [uid, arches] of Object.entries(modules.payload.modules))
    for (const nsvcs of Object.values(arches)) at(uid).modules.push(...Object.keys(nsvcs));
  for (const v of Object.values(variants)) {
    v.rpms = [...new Set(v.rpms)].sort();
    v.modules = [...new Set(v.modules)].sort();
  }
  return { composeId: rpms.payload.compose.id, variants };
}

export async function diffPhase(input: DiffPhaseInput): Promise<DiffPhaseOutput> {
  const current = readComposeContent(input.composeDir);
  const previous = input.previousComposeDir ? readComposeContent(input.previousComposeDir) : null;
  const diff = diffComposes(previous, current);
  const changesFile = composeLayout(input.composeDir).changes;
  writeJsonAtomic(changesFile, diff);
  return { changesFile, summary: summarizeComposeDiff(diff) };
}

export function readComposeDiff(changesFile: string): ComposeDiff {
  return readJsonFile<ComposeDiff>(changesFile, 'the compose diff');
}
