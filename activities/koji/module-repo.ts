// The built module's repository: every binary RPM of the module build, createrepo_c metadata, and
// the final modulemd (with its artifacts) added as `modules` repodata, so `dnf module install`
// works from it. Written under a temporary name and renamed into place: all or nothing.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseModuleStream, serializeModuleStream, type ModuleStreamV2 } from '../../domain/modulemd';

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(stdout),
    ),
  );
}

export interface ModuleRepoInput {
  /** where the repository goes; replaced whole */
  dir: string;
  /** the module's modulemd with name, stream, version, context and xmd set; artifacts are filled in here */
  modulemd: string;
  /** per-build directories holding the module's binary RPMs (and their source RPMs) */
  buildDirs: string[];
}

export interface ModuleRepoOutput {
  dir: string;
  artifacts: string[];
  modulemd: string;
}

/** NEVRAs of binary and source RPMs, as modulemd's artifacts list them (epoch always present). */
async function nevras(files: string[]): Promise<string[]> {
  if (files.length === 0) return [];
  const out = await run('rpm', [
    '-qp',
    '--nosignature',
    '--qf',
    '%{NAME}-%{EPOCHNUM}:%{VERSION}-%{RELEASE}.%{ARCH}\\n',
    ...files,
  ]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line, i) => (files[i]!.endsWith('.src.rpm') ? line.replace(/\.[^.]+$/, '.src') : line))
    .sort();
}

export async function writeModuleRepo(input: ModuleRepoInput): Promise<ModuleRepoOutput> {
  const parsed = parseModuleStream(input.modulemd);
  if (!parsed.ok)
    throw new Error(`the module's modulemd is invalid: ${parsed.errors.map((e) => e.message).join('; ')}`);
  const staging = `${input.dir}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const copied: string[] = [];
  for (const dir of input.buildDirs) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.rpm'))) {
      const target = path.join(staging, file);
      fs.linkSync(path.join(dir, file), target);
      copied.push(target);
    }
  }
  const artifacts = await nevras(copied);
  const stream: ModuleStreamV2 = { ...parsed.stream, artifacts: { ...parsed.stream.artifacts, rpms: artifacts } };
  const modulemd = serializeModuleStream(stream);
  await run('modulemd-validator', ['--quiet', await writeTemp(staging, 'check.yaml', modulemd)]).catch((err) => {
    throw new Error(`modulemd-validator rejects the final modulemd: ${(err as Error).message}`);
  });
  fs.rmSync(path.join(staging, 'check.yaml'));
  await run('createrepo_c', ['--quiet', '--excludes', '*.src.rpm', staging]);
  const modulesYaml = await writeTemp(path.dirname(staging), `${path.basename(input.dir)}.modules.yaml`, modulemd);
  await run('modifyrepo_c', ['--mdtype=modules', modulesYaml, path.join(staging, 'repodata')]);
  fs.rmSync(modulesYaml);
  fs.rmSync(input.dir, { recursive: true, force: true });
  fs.renameSync(staging, input.dir);
  return { dir: input.dir, artifacts, modulemd };
}

async function writeTemp(dir: string, name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, content);
  return file;
}
