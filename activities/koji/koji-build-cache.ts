// A Koji build brought to this machine in LocalKoji's layout (<root>/packages/<nvr>/ with its RPMs, a
// createrepo_c repository of the binary ones and build.json), because what comes after a build runs
// here: the module repository, the CI's dnf checks, composes. RPMs come from the hub's topurl
// (packages/<name>/<version>/<release>/<arch>/<file>, koji's pathinfo); a directory appears only
// complete (written under a temporary name, then renamed).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { XmlRpcValue } from '../../platform/xmlrpc-codec';
import type { BuildRecord } from './builder';
import { readBuildRecord, writeJsonAtomically } from './task-files';

type KojiMap = Record<string, XmlRpcValue>;

export interface KojiBuildSource {
  /** the hub's getBuild answer */
  build: KojiMap;
  /** its listRPMs answer */
  rpms: KojiMap[];
}

const SAFE_NVR = /^[A-Za-z0-9][A-Za-z0-9._+~^-]{0,254}$/;

function download(url: string, file: string, ca?: Buffer): Promise<void> {
  const transport = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.get(url, { ca, timeout: 120_000 }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
      }
      const out = fs.createWriteStream(file);
      res.pipe(out);
      out.on('finish', () => resolve());
      out.on('error', reject);
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer`)));
    req.on('error', reject);
  });
}

const createrepo = (dir: string) =>
  new Promise<void>((resolve, reject) =>
    execFile('createrepo_c', ['--quiet', '--excludes', '*.src.rpm', dir], (err, _out, errOut) =>
      err ? reject(new Error(`createrepo_c ${dir}: ${errOut || err.message}`)) : resolve(),
    ),
  );

/** git+<url>?#<commit> or <url>#<commit>: the commit Koji built. */
const commitOf = (source: XmlRpcValue) => /#([0-9a-f]{7,64})$/.exec(String(source ?? ''))?.[1] ?? '';

export class KojiBuildCache {
  constructor(private readonly options: { root: string; topUrl: string; ca?: Buffer }) {}

  dirOf(nvr: string): string {
    if (!SAFE_NVR.test(nvr)) throw new Error(`not an NVR: ${nvr}`);
    return path.join(this.options.root, 'packages', nvr);
  }

  cached(nvr: string): BuildRecord | undefined {
    return readBuildRecord(this.dirOf(nvr));
  }

  /** Downloads the build's RPMs, indexes the binary ones and records the build. */
  async fetch({ build, rpms }: KojiBuildSource): Promise<BuildRecord> {
    const nvr = String(build.nvr);
    const dir = this.dirOf(nvr);
    const staging = `${dir}.${process.pid}.tmp`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    try {
      const base = `${this.options.topUrl.replace(/\/+$/, '')}/packages/${build.package_name ?? build.name}/${build.version}/${build.release}`;
      const files: { file: string; arch: string }[] = rpms.map((r) => ({
        file: `${r.name}-${r.version}-${r.release}.${r.arch}.rpm`,
        arch: String(r.arch),
      }));
      for (const { file, arch } of files)
        await download(`${base}/${arch}/${file}`, path.join(staging, file), this.options.ca);
      const srpm = files.find((f) => f.arch === 'src')?.file;
      if (!srpm) throw new Error(`Koji build ${nvr} has no source RPM`);
      await createrepo(staging);
      const extra = (build.extra ?? {}) as KojiMap;
      const metadata = (extra.custom_user_metadata ?? {}) as KojiMap;
      const completed = typeof build.completion_ts === 'number' ? build.completion_ts : undefined;
      const record: BuildRecord = {
        nvr,
        component: String(build.package_name ?? build.name),
        commit: commitOf(build.source),
        buildrootHash: String(metadata.cascade_buildroot_hash ?? ''),
        taskId: String(build.task_id ?? ''),
        rpms: files.filter((f) => f.arch !== 'src').map((f) => f.file),
        srpm,
        dir,
        completedAt: completed ? new Date(completed * 1000).toISOString() : new Date().toISOString(),
      };
      writeJsonAtomically(path.join(staging, 'build.json'), record);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(staging, dir);
      return record;
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw err;
    }
  }
}
