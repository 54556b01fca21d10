// LocalKoji: the embedded builder. Builds run as detached processes (activities/koji/rpmbuild-task.ts)
// keyed by a task id derived from (component, commit, buildroot hash), so submitting the same build
// twice — say after a worker was killed mid-build — finds the running or finished task instead of
// building again. State lives under <root>: tasks/<id>/ (request, status, log), packages/<nvr>/
// (RPMs, per-build repo, build.json: present only once complete) and tags/<tag>/<nvr>.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BuildKey, BuildRecord, BuildRequest, Builder, TaskStatus } from './builder';
import { processAlive, readBuildRecord, readStatus, taskPaths, writeJsonAtomically } from './task-files';

const projectRoot = path.join(__dirname, '..', '..');
const runner = path.join(__dirname, 'rpmbuild-task.ts');
const SAFE_TAG = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,254}$/;
const SAFE_NVR = /^[A-Za-z0-9][A-Za-z0-9._+~^-]{0,254}$/;

export function taskIdFor(key: BuildKey): string {
  return crypto
    .createHash('sha256')
    .update(`${key.component}\n${key.commit}\n${key.buildrootHash}`)
    .digest('hex')
    .slice(0, 24);
}

export class LocalKoji implements Builder {
  readonly root: string;

  constructor(private readonly options: { root: string; pollMs?: number }) {
    this.root = path.resolve(options.root);
  }

  private taskDir(taskId: string): string {
    if (!/^[0-9a-f]{24}$/.test(taskId)) throw new Error(`not a task id: ${taskId}`);
    return path.join(this.root, 'tasks', taskId);
  }

  async findBuild(key: BuildKey): Promise<BuildRecord | undefined> {
    const status = readStatus(this.taskDir(taskIdFor(key)));
    return status?.state === 'complete' && status.nvr ? this.getBuild(status.nvr) : undefined;
  }

  async submit(request: BuildRequest): Promise<TaskStatus> {
    const taskId = taskIdFor(request);
    const dir = this.taskDir(taskId);
    const previous = readStatus(dir);
    if (previous?.state === 'complete') return previous;
    if (previous?.state === 'running' && processAlive(previous.pid)) return previous;
    // A new attempt: none yet, the last one failed, or its process died with the machine. A status
    // without a pid is an attempt whose submitter died before recording it: its process (if it
    // started) leaves without building (rpmbuild-task.ts), so it is not counted as a run.
    const neverRan = previous?.state === 'running' && previous.pid === undefined;
    const files = taskPaths(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.cpSync(request.sourceDir, files.source, {
      recursive: true,
      filter: (src) => !src.split(path.sep).includes('.git'),
    });
    writeJsonAtomically(files.request, { ...request, sourceDir: files.source });
    const status: TaskStatus = {
      taskId,
      state: 'running',
      attempt: neverRan ? previous.attempt : (previous?.attempt ?? 0) + 1,
      startedAt: new Date().toISOString(),
    };
    writeJsonAtomically(files.status, status);
    const log = fs.openSync(files.log, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', runner, this.root, dir], {
      cwd: projectRoot,
      detached: true,
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    child.unref();
    const running = { ...status, pid: child.pid };
    writeJsonAtomically(files.status, running);
    return running;
  }

  async watch(taskId: string, onProgress?: (status: TaskStatus, logBytes: number) => void): Promise<TaskStatus> {
    const dir = this.taskDir(taskId);
    for (;;) {
      const status = readStatus(dir);
      if (!status) throw new Error(`no task ${taskId}`);
      if (status.state !== 'running') return status;
      if (!processAlive(status.pid)) {
        // The runner writes its final status before exiting; read once more to be sure it is gone.
        const last = readStatus(dir);
        if (last && last.state !== 'running') return last;
        return { ...status, state: 'failed', reason: 'the build process ended without a result' };
      }
      const logBytes = fs.existsSync(taskPaths(dir).log) ? fs.statSync(taskPaths(dir).log).size : 0;
      onProgress?.(status, logBytes);
      await new Promise((r) => setTimeout(r, this.options.pollMs ?? 250));
    }
  }

  async taskLog(taskId: string): Promise<string> {
    const file = taskPaths(this.taskDir(taskId)).log;
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  }

  async getBuild(nvr: string): Promise<BuildRecord | undefined> {
    if (!SAFE_NVR.test(nvr)) return undefined;
    return readBuildRecord(path.join(this.root, 'packages', nvr));
  }

  async listTagged(tag: string): Promise<string[]> {
    const dir = this.tagDir(tag);
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  }

  async tag(tag: string, nvr: string): Promise<void> {
    if (!(await this.getBuild(nvr))) throw new Error(`cannot tag ${nvr} into ${tag}: no such build`);
    fs.mkdirSync(this.tagDir(tag), { recursive: true });
    fs.writeFileSync(path.join(this.tagDir(tag), nvr), '');
  }

  async untag(tag: string, nvr: string): Promise<void> {
    if (!SAFE_NVR.test(nvr)) throw new Error(`not an NVR: ${nvr}`);
    fs.rmSync(path.join(this.tagDir(tag), nvr), { force: true });
  }

  private tagDir(tag: string): string {
    if (!SAFE_TAG.test(tag)) throw new Error(`not a tag name: ${tag}`);
    return path.join(this.root, 'tags', tag);
  }
}
