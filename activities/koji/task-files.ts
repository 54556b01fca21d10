// The files of a LocalKoji task directory, written atomically (temp file + rename) so a process
// killed at any moment leaves either the old or the new content, never half of it.
import fs from 'node:fs';
import path from 'node:path';
import type { BuildRecord, BuildRequest, TaskStatus } from './builder';

export const taskPaths = (taskDir: string) => ({
  request: path.join(taskDir, 'request.json'),
  status: path.join(taskDir, 'status.json'),
  log: path.join(taskDir, 'build.log'),
  source: path.join(taskDir, 'src'),
  top: path.join(taskDir, 'top'),
});

export function writeJsonAtomically(file: string, value: unknown): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(value, null, 2));
  fs.renameSync(temp, file);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export const readStatus = (taskDir: string) => readJson<TaskStatus>(taskPaths(taskDir).status);
export const readRequest = (taskDir: string) => readJson<BuildRequest>(taskPaths(taskDir).request);
export const readBuildRecord = (buildDir: string) => readJson<BuildRecord>(path.join(buildDir, 'build.json'));

export function processAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
