// gather: the RPMs of one variant, per arch: every RPM of the variant's module builds (binary RPMs of
// the arch and noarch, and their source RPMs), plus the non-modular RPMs of the given package repos
// with modular filtering — a non-modular package whose name an active stream's artifacts carry is
// left out, as dnf would hide it. The list goes to work/<arch>/gather/<Variant>.json; the phase
// answers with counts and paths only.
import fs from 'node:fs';
import path from 'node:path';
import type { ReadyModuleBuild } from '../../domain/compose';
import { parseModuleStream, type ModuleStreamV2 } from '../../domain/modulemd';
import { composeLayout, writeJsonAtomic } from './compose-files';
import { cachedSha256File } from './file-facts-cache';
import { assertComposeOpen, findVariant, readComposeRequest } from './init-phase';
import { headerNevra, readRpmHeaders, type RpmHeader } from './rpm-headers';

export interface GatherPhaseInput {
  composeDir: string;
  variant: string;
  builds: ReadyModuleBuild[];
  /** directories of non-modular RPMs (searched recursively), if the variant takes any */
  nonModularRepos?: string[];
}

export interface GatheredModule {
  nsvc: string;
  name: string;
  stream: string;
  modulemdPath: string;
  profiles: string[];
  /** NEVRAs of the module's RPMs in this arch's tree (binary and source) */
  rpms: string[];
}

export interface GatheredPackage {
  /** where the RPM is taken from */
  file: string;
  fileName: string;
  nevra: string;
  srpmNevra: string;
  category: 'binary' | 'source';
  sha256: string;
  module: string | null;
}

export interface GatherList {
  variant: string;
  arch: string;
  modules: GatheredModule[];
  packages: GatheredPackage[];
  /** non-modular NEVRAs left out because an active stream ships a package of that name */
  filtered: string[];
}

export interface GatherPhaseOutput {
  variant: string;
  arches: { arch: string; packageList: string; binaryRpms: number; sourceRpms: number; filtered: number }[];
  modules: string[];
}

export async function gatherPhase(input: GatherPhaseInput): Promise<GatherPhaseOutput> {
  assertComposeOpen(input.composeDir);
  const variant = findVariant(readComposeRequest(input.composeDir), input.variant);
  const modules = input.builds.map(readBuild);
  const moduleFiles = modules.flatMap((m) => rpmFiles(m.build.repoDir).map((file) => ({ file, module: m })));
  const plainFiles = (input.nonModularRepos ?? []).flatMap((dir) => rpmFiles(dir));
  const headers = await readRpmHeaders([...moduleFiles.map((f) => f.file), ...plainFiles]);
  const byFile = new Map(headers.map((h) => [h.file, h]));
  const checksums = new Map<string, string>();
  for (const h of headers) checksums.set(h.file, await cachedSha256File(h.file));

  const activeNames = new Set(modules.flatMap((m) => m.binaryNames));
  const arches: GatherPhaseOutput['arches'] = [];
  for (const arch of variant.arches) {
    const list: GatherList = { variant: variant.uid, arch, modules: [], packages: [], filtered: [] };
    const take = (sources: { header: RpmHeader; module: string | null }[]) => {
      const binaries = sources.filter((s) => s.header.arch !== 'src' && fitsArch(s.header.arch, arch));
      const wanted = new Set(binaries.map((s) => s.header.sourceRpm));
      const srpms = sources.filter((s) => s.header.arch === 'src' && wanted.has(path.basename(s.header.file)));
      const srpmNevra = (b: RpmHeader) => {
        const srpm = srpms.find((s) => path.basename(s.header.file) === b.sourceRpm)?.header;
        return srpm
          ? headerNevra(srpm)
          : `${b.sourceRpm!.replace(/\.src\.rpm$/, '').replace(/-([^-]+-[^-]+)$/, `-${b.epoch}:$1`)}.src`;
      };
      const packages: GatheredPackage[] = [
        ...binaries.map((s) => ({
          ...entry(s.header, s.module, checksums),
          srpmNevra: srpmNevra(s.header),
          category: 'binary' as const,
        })),
        ...srpms.map((s) => ({
          ...entry(s.header, s.module, checksums),
          srpmNevra: headerNevra(s.header),
          category: 'source' as const,
        })),
      ];
      return packages;
    };
    for (const m of modules) {
      const sources = moduleFiles
        .filter((f) => f.module === m)
        .map((f) => ({ header: byFile.get(f.file)!, module: m.build.nsvc }));
      const packages = take(sources);
      list.packages.push(...packages);
      list.modules.push({
        nsvc: m.build.nsvc,
        name: m.build.name,
        stream: m.build.stream,
        modulemdPath: path.resolve(m.build.modulemdPath),
        profiles: Object.keys(m.stream.profiles).sort(),
        rpms: packages.map((p) => p.nevra).sort(),
      });
    }
    const plain = plainFiles.map((file) => ({ header: byFile.get(file)!, module: null }));
    const shadowed = plain.filter((s) => activeNames.has(s.header.name) && s.header.arch !== 'src');
    list.filtered = shadowed.map((s) => headerNevra(s.header)).sort();
    list.packages.push(...take(plain.filter((s) => !shadowed.includes(s))));
    list.packages = dedupe(list.packages);
    writeJsonAtomic(composeLayout(input.composeDir).gatherList(variant.uid, arch), list);
    arches.push({
      arch,
      packageList: composeLayout(input.composeDir).gatherList(variant.uid, arch),
      binaryRpms: list.packages.filter((p) => p.category === 'binary').length,
      sourceRpms: list.packages.filter((p) => p.category === 'source').length,
      filtered: list.filtered.length,
    });
  }
  return { variant: variant.uid, arches, modules: modules.map((m) => m.build.nsvc) };
}

function readBuild(build: ReadyModuleBuild): {
  build: ReadyModuleBuild;
  stream: ModuleStreamV2;
  binaryNames: string[];
} {
  let text: string;
  try {
    text = fs.readFileSync(build.modulemdPath, 'utf8');
  } catch {
    throw new Error(`module build ${build.nsvc}: its modulemd file ${build.modulemdPath} cannot be read`);
  }
  const parsed = parseModuleStream(text);
  if (!parsed.ok)
    throw new Error(
      `module build ${build.nsvc}: ${build.modulemdPath} is invalid: ${parsed.errors.map((e) => e.message).join('; ')}`,
    );
  const s = parsed.stream;
  const nsvc = `${s.name}:${s.stream}:${s.version}:${s.context}`;
  if (nsvc !== build.nsvc) throw new Error(`module build ${build.nsvc}: ${build.modulemdPath} describes ${nsvc}`);
  if (!fs.existsSync(build.repoDir))
    throw new Error(`module build ${build.nsvc}: its repository ${build.repoDir} is missing`);
  const artifacts = build.artifacts ?? s.artifacts.rpms;
  const binaryNames = artifacts.flatMap((nevra) => {
    const match = /^(.+)-\d+:[^-]+-[^-]+\.([^.]+)$/.exec(nevra);
    return match && match[2] !== 'src' ? [match[1]!] : [];
  });
  return { build, stream: s, binaryNames };
}

function rpmFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new Error(`package repository ${dir} does not exist`);
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory() && e.name !== 'repodata') walk(path.join(d, e.name));
      else if (e.isFile() && e.name.endsWith('.rpm')) found.push(path.join(d, e.name));
    }
  };
  walk(dir);
  return found.sort();
}

function fitsArch(rpmArch: string, treeArch: string): boolean {
  return rpmArch === 'noarch' || rpmArch === treeArch;
}

function entry(h: RpmHeader, module: string | null, checksums: Map<string, string>) {
  return {
    file: h.file,
    fileName: path.basename(h.file),
    nevra: headerNevra(h),
    sha256: checksums.get(h.file)!,
    module,
  };
}

/** One entry per file name: the first module (or plain repo) that brings it wins. */
function dedupe(packages: GatheredPackage[]): GatheredPackage[] {
  const seen = new Map<string, GatheredPackage>();
  for (const p of packages) if (!seen.has(p.fileName)) seen.set(p.fileName, p);
  return [...seen.values()].sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
}
