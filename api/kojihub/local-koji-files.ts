// LocalKoji's records as the hub reads them, read-only, from CASCADE_KOJI_ROOT (the layout
// activities/koji/local-koji.ts writes: tasks/<id>/{status,request}.json and build.log,
// packages/<nvr>/build.json with its RPMs, tags/<tag>/<nvr>). Writes go through the Builder.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BuildRecord, TaskStatus } from '../../activities/koji/builder';
import { kojiId, kojiTaskId } from './koji-ids';

export interface RpmHeader {
  file: string;
  name: string;
  epoch: number | null;
  version: string;
  release: string;
  arch: string;
  /** koji.get_rpm_ident: the header's SIGMD5, as the CLI checks it after a download */
  payloadhash: string;
  buildtime: number;
  size: number;
}

export interface TaskRequest {
  component: string;
  commit: string;
  buildrootHash: string;
  macros?: Record<string, string>;
}

const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
};

const listDir = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

/** N-V-R split from the right, as koji.parse_NVR does. */
export function splitNvr(nvr: string): { name: string; version: string; release: string } | undefined {
  const r = nvr.lastIndexOf('-');
  const v = nvr.lastIndexOf('-', r - 1);
  if (v <= 0) return undefined;
  return { name: nvr.slice(0, v), version: nvr.slice(v + 1, r), release: nvr.slice(r + 1) };
}

export class LocalKojiFiles {
  private readonly headers = new Map<string, { mtimeMs: number; header: RpmHeader }>();

  constructor(readonly root: string) {}

  buildDir(nvr: string): string {
    return path.join(this.root, 'packages', nvr);
  }

  builds(): BuildRecord[] {
    return listDir(path.join(this.root, 'packages'))
      .filter((n) => !n.endsWith('.tmp'))
      .map((nvr) => readJson<BuildRecord>(path.join(this.buildDir(nvr), 'build.json')))
      .filter((b): b is BuildRecord => b !== undefined);
  }

  build(nvr: string): BuildRecord | undefined {
    if (nvr.includes('/') || nvr.startsWith('.')) return undefined;
    return readJson<BuildRecord>(path.join(this.buildDir(nvr), 'build.json'));
  }

  buildById(id: number): BuildRecord | undefined {
    return this.builds().find((b) => kojiId('build', b.nvr) === id);
  }

  /** Every LocalKoji task id. */
  taskIds(): string[] {
    return listDir(path.join(this.root, 'tasks')).filter((t) => /^[0-9a-f]{24}$/.test(t));
  }

  /** LocalKoji's task id (24 hex digits) for a Koji task number. */
  taskById(id: number): string | undefined {
    return listDir(path.join(this.root, 'tasks')).find((t) => /^[0-9a-f]{24}$/.test(t) && kojiTaskId(t) === id);
  }

  taskStatus(taskId: string): TaskStatus | undefined {
    return readJson<TaskStatus>(path.join(this.root, 'tasks', taskId, 'status.json'));
  }

  taskRequest(taskId: string): TaskRequest | undefined {
    return readJson<TaskRequest>(path.join(this.root, 'tasks', taskId, 'request.json'));
  }

  taskLogFile(taskId: string): string | undefined {
    const file = path.join(this.root, 'tasks', taskId, 'build.log');
    return fs.existsSync(file) ? file : undefined;
  }

  tags(): string[] {
    return listDir(path.join(this.root, 'tags')).sort();
  }

  tagged(tag: string): string[] {
    if (tag.includes('/') || tag.startsWith('.')) return [];
    return listDir(path.join(this.root, 'tags', tag)).sort();
  }

  /** Every RPM of a build (binary and source) with the header fields Koji keeps in rpminfo. */
  async rpmHeaders(build: BuildRecord): Promise<RpmHeader[]> {
    const dir = this.buildDir(build.nvr);
    const files = [...build.rpms, build.srpm];
    const stale = files.filter((f) => {
      const cached = this.headers.get(path.join(dir, f));
      return !cached || cached.mtimeMs !== fs.statSync(path.join(dir, f)).mtimeMs;
    });
    if (stale.length > 0) {
      const out = await queryRpms(stale.map((f) => path.join(dir, f)));
      stale.forEach((file, i) => {
        const full = path.join(dir, file);
        const stat = fs.statSync(full);
        const [name, epoch, version, release, arch, sigmd5, buildtime] = out[i]!.split('\t');
        this.headers.set(full, {
          mtimeMs: stat.mtimeMs,
          header: {
            file,
            name: name!,
            epoch: epoch === '(none)' ? null : Number(epoch),
            version: version!,
            release: release!,
            arch: file.endsWith('.src.rpm') ? 'src' : arch!,
            payloadhash: sigmd5!,
            buildtime: Number(buildtime),
            size: stat.size,
          },
        });
      });
    }
    return files.map((f) => this.headers.get(path.join(dir, f))!.header);
  }
}

function queryRpms(files: string[]): Promise<string[]> {
  const format = '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SIGMD5}\\t%{BUILDTIME}\\n';
  return new Promise((resolve, reject) =>
    execFile('rpm', ['-qp', '--nosignature', '--nodigest', '--qf', format, ...files], (err, stdout, stderr) => {
      if (err) return reject(new Error(`rpm -qp: ${stderr.trim() || err.message}`));
      const lines = stdout.split('\n').filter(Boolean);
      if (lines.length !== files.length)
        return reject(new Error(`rpm -qp read ${lines.length} of ${files.length} RPMs`));
      resolve(lines);
    }),
  );
}
