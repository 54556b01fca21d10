// init: the compose's directory <topdir>/<COMPOSE_ID>/ with STATUS=STARTED, COMPOSE_ID, Pungi's layout
// and the request it was started with (work/global/compose-request.json, read by the later phases).
// Made under a temporary name and renamed: the directory exists whole or not at all.
import fs from 'node:fs';
import path from 'node:path';
import {
  FINAL_COMPOSE_STATUSES,
  nextComposeId,
  parseComposeId,
  parseComposeRequest,
  type ComposeRequest,
  type ComposeStatus,
} from '../../domain/compose';
import { composeLayout, readJsonFile, writeFileAtomic, writeJsonAtomic } from './compose-files';

export interface InitPhaseInput {
  topdir: string;
  composeId: string;
  request: ComposeRequest;
}

export interface InitPhaseOutput {
  composeId: string;
  composeDir: string;
  /** false when the directory already existed for the same request (a re-run) */
  created: boolean;
}

/** The next free compose id in `topdir` for the request's release, date and type. */
export function allocateComposeId(input: { topdir: string; request: ComposeRequest }): string {
  const existing = fs.existsSync(input.topdir) ? fs.readdirSync(input.topdir) : [];
  const { short, version } = input.request.release;
  return nextComposeId({ short, version, date: input.request.date, type: input.request.type }, existing);
}

export async function initPhase(input: InitPhaseInput): Promise<InitPhaseOutput> {
  const checked = parseComposeRequest(input.request);
  if (!checked.ok) throw new Error(`the compose request is invalid: ${checked.error.message}`);
  const id = parseComposeId(input.composeId);
  if (!id.ok) throw new Error(`composeId: ${id.error.message}`);
  const { release, date, type } = checked.request;
  if (id.id.short !== release.short || id.id.version !== release.version || id.id.date !== date || id.id.type !== type)
    throw new Error(
      `composeId: '${input.composeId}' does not belong to ${release.short}-${release.version}, ${date}, ${type}`,
    );

  const composeDir = path.join(input.topdir, input.composeId);
  const layout = composeLayout(composeDir);
  if (fs.existsSync(composeDir)) {
    const recorded = readJsonFile<ComposeRequest>(layout.request, 'the compose request');
    if (JSON.stringify(recorded) !== JSON.stringify(checked.request))
      throw new Error(`compose ${input.composeId} already exists in ${input.topdir} with another request`);
    return { composeId: input.composeId, composeDir, created: false };
  }
  const staging = path.join(input.topdir, `.${input.composeId}.init`);
  fs.rmSync(staging, { recursive: true, force: true });
  const stagingLayout = composeLayout(staging);
  for (const dir of [
    stagingLayout.metadata,
    path.join(staging, 'logs', 'global'),
    path.join(staging, 'work', 'global'),
  ])
    fs.mkdirSync(dir, { recursive: true });
  writeJsonAtomic(stagingLayout.request, checked.request);
  writeFileAtomic(stagingLayout.composeIdFile, `${input.composeId}\n`);
  writeFileAtomic(stagingLayout.statusFile, 'STARTED\n');
  fs.renameSync(staging, composeDir);
  return { composeId: input.composeId, composeDir, created: true };
}

/** The compose's request as init recorded it. */
export function readComposeRequest(composeDir: string): ComposeRequest {
  return readJsonFile<ComposeRequest>(composeLayout(composeDir).request, 'the compose request');
}

export function readComposeId(composeDir: string): string {
  return fs.readFileSync(composeLayout(composeDir).composeIdFile, 'utf8').trim();
}

export function readComposeStatus(composeDir: string): ComposeStatus {
  return fs.readFileSync(composeLayout(composeDir).statusFile, 'utf8').trim() as ComposeStatus;
}

/** STATUS, atomically; a compose in a final state is never changed again. */
export function writeComposeStatus(input: { composeDir: string; status: ComposeStatus }): { status: ComposeStatus } {
  const current = readComposeStatus(input.composeDir);
  if (current === input.status) return { status: current };
  if (FINAL_COMPOSE_STATUSES.includes(current))
    throw new Error(`compose ${readComposeId(input.composeDir)} is ${current}: its status is final`);
  writeFileAtomic(composeLayout(input.composeDir).statusFile, `${input.status}\n`);
  return { status: input.status };
}

/** Phases that change the tree call this first: a compose in a final state is never changed again. */
export function assertComposeOpen(composeDir: string): void {
  const status = readComposeStatus(composeDir);
  if (FINAL_COMPOSE_STATUSES.includes(status))
    throw new Error(`compose ${readComposeId(composeDir)} is ${status}: it is never changed again`);
}

export function findVariant(request: ComposeRequest, uid: string) {
  const variant = request.variants.find((v) => v.uid === uid);
  if (!variant)
    throw new Error(
      `variant '${uid}' is not in the compose request (${request.variants.map((v) => v.uid).join(', ')})`,
    );
  return variant;
}
