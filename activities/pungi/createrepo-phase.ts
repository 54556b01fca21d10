// createrepo: the repository compose/<Variant>/<arch>/os of one variant and arch, as Pungi lays it out:
// the gathered RPMs under Packages/<first letter>/, createrepo_c's metadata, the variant's comps as
// `group` repodata and its modules' final modulemd merged with generated module defaults as `modules`
// repodata (modifyrepo_c). Source RPMs go to compose/<Variant>/source/tree/Packages/<letter>/.
// Reuse: the inputs' digest (sorted package checksums, modules document, comps) is recorded in
// work/<arch>/createrepo/<Variant>.json; when the previous compose's repo had the same digest it is
// hard-linked over instead of running createrepo_c again. The repo is made fresh (never `--update`,
// which without --keep-all-metadata drops the modules and group repodata) under a temporary name.
import fs from 'node:fs';
import path from 'node:path';
import { variantModuleDefaults } from '../../domain/compose';
import { serializeModuleDefaults } from '../../domain/modulemd';
import {
  composeLayout,
  linkOrCopy,
  packageSubdir,
  readJsonFile,
  replaceDirectory,
  sha256Text,
  writeFileAtomic,
  writeJsonAtomic,
} from './compose-files';
import type { GatherList } from './gather-phase';
import { assertComposeOpen, findVariant, readComposeRequest } from './init-phase';
import { runToolOrThrow } from './run-tool';

export interface CreaterepoPhaseInput {
  composeDir: string;
  variant: string;
  arch: string;
  /** the variant's comps.xml (pruned to its groups), if it has one */
  compsPath?: string;
  /** an earlier compose of the release whose repos may be reused */
  previousComposeDir?: string;
}

export interface CreaterepoPhaseOutput {
  variant: string;
  arch: string;
  repoDir: string;
  /** taken over from the previous compose because the inputs were equal */
  reused: boolean;
  inputsDigest: string;
  rpms: number;
  modules: number;
}

interface RepoRecord {
  inputsDigest: string;
  rpms: number;
  modules: number;
}

export async function createrepoPhase(input: CreaterepoPhaseInput): Promise<CreaterepoPhaseOutput> {
  const layout = composeLayout(input.composeDir);
  assertComposeOpen(input.composeDir);
  const variant = findVariant(readComposeRequest(input.composeDir), input.variant);
  if (!variant.arches.includes(input.arch)) throw new Error(`arch: variant ${variant.uid} has no arch '${input.arch}'`);
  const list = readJsonFile<GatherList>(
    layout.gatherList(variant.uid, input.arch),
    `the gather list of ${variant.uid}.${input.arch}`,
  );
  const modulesDocument = modulesYaml(list, variant.modules);
  if (input.compsPath && !fs.existsSync(input.compsPath))
    throw new Error(`compsPath: ${input.compsPath} does not exist`);
  const comps = input.compsPath ? fs.readFileSync(input.compsPath, 'utf8') : '';
  const binaries = list.packages.filter((p) => p.category === 'binary');
  const inputsDigest = sha256Text(
    JSON.stringify({ packages: binaries.map((p) => `${p.sha256} ${p.fileName}`).sort(), modulesDocument, comps }),
  );
  const record: RepoRecord = { inputsDigest, rpms: binaries.length, modules: list.modules.length };
  const repoDir = layout.osTree(variant.uid, input.arch);
  const done = (reused: boolean): CreaterepoPhaseOutput => ({
    variant: variant.uid,
    arch: input.arch,
    repoDir,
    reused,
    ...record,
  });

  linkSources(list, layout.sourceTree(variant.uid));
  const mine = readRecord(layout.repoRecord(variant.uid, input.arch));
  if (mine?.inputsDigest === inputsDigest && hasRepomd(repoDir)) return done(mine.reused ?? false);

  const staging = `${repoDir}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  const previous = input.previousComposeDir ? composeLayout(input.previousComposeDir) : undefined;
  const previousRecord = previous ? readRecord(previous.repoRecord(variant.uid, input.arch)) : undefined;
  const previousRepo = previous?.osTree(variant.uid, input.arch);
  const reused = previousRecord?.inputsDigest === inputsDigest && !!previousRepo && hasRepomd(previousRepo);
  fs.mkdirSync(path.dirname(staging), { recursive: true });
  if (reused) await runToolOrThrow('cp', ['-al', previousRepo!, staging]);
  else
    await makeRepo(
      staging,
      list,
      modulesDocument,
      input.compsPath,
      layout.log(input.arch, `createrepo-${variant.uid}.log`),
    );
  replaceDirectory(staging, repoDir);
  writeJsonAtomic(layout.repoRecord(variant.uid, input.arch), { ...record, reused });
  return done(reused);
}

async function makeRepo(
  staging: string,
  list: GatherList,
  modulesDocument: string,
  compsPath: string | undefined,
  logFile: string,
): Promise<void> {
  for (const p of list.packages.filter((q) => q.category === 'binary'))
    linkOrCopy(p.file, path.join(staging, 'Packages', packageSubdir(p.fileName), p.fileName));
  fs.mkdirSync(path.join(staging, 'Packages'), { recursive: true });
  const log: string[] = [];
  const args = ['--checksum', 'sha256', '--no-database'];
  if (compsPath) args.push('--groupfile', path.resolve(compsPath));
  log.push(await runToolOrThrow('createrepo_c', [...args, staging]));
  if (modulesDocument) {
    const dir = fs.mkdtempSync(`${staging}.modules-`);
    const file = path.join(dir, 'modules.yaml');
    fs.writeFileSync(file, modulesDocument);
    try {
      log.push(await runToolOrThrow('modifyrepo_c', ['--mdtype=modules', file, path.join(staging, 'repodata')]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  writeFileAtomic(logFile, log.join('\n'));
}

/** Every module's final modulemd, then the defaults for the variant's streams: one module index. */
function modulesYaml(list: GatherList, specs: { name: string; stream: string; profile?: string }[]): string {
  if (list.modules.length === 0) return '';
  const streams = list.modules.map((m) => {
    const text = fs.readFileSync(m.modulemdPath, 'utf8');
    return text.startsWith('---') ? text : `---\n${text}`;
  });
  const withEnd = streams.map((t) => (/\n\.\.\.\s*$/.test(t) ? t : `${t.replace(/\s*$/, '\n')}...\n`));
  const profiles = (name: string, stream: string) =>
    list.modules.find((m) => m.name === name && m.stream === stream)?.profiles ?? [];
  const present = specs.filter((s) => list.modules.some((m) => m.name === s.name && m.stream === s.stream));
  const defaults = variantModuleDefaults(present, profiles).map(serializeModuleDefaults);
  return [...withEnd, ...defaults].join('');
}

function linkSources(list: GatherList, sourceTree: string): void {
  for (const p of list.packages.filter((q) => q.category === 'source'))
    linkOrCopy(p.file, path.join(sourceTree, 'Packages', packageSubdir(p.fileName), p.fileName));
}

function readRecord(file: string): (RepoRecord & { reused?: boolean }) | undefined {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RepoRecord & { reused?: boolean };
}

function hasRepomd(repoDir: string): boolean {
  return fs.existsSync(path.join(repoDir, 'repodata', 'repomd.xml'));
}
