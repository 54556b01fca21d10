// What the hub keeps beside LocalKoji's own records, under <kojiRoot>/hub/: the tags made by createTag
// (arches, extra, inheritance, groups, package list), build targets, each tag's current repo, the
// request behind each build task submitted through the hub (its owner, source, target and opts, so
// getTaskInfo and listTasks answer with them), the hub's own tasks (newRepo), and a log of the write
// calls (one JSON line each). Files are written whole under a temporary name and renamed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { XmlRpcValue } from '../../platform/xmlrpc-codec';

export interface InheritanceLink {
  parent: string;
  priority: number;
  maxdepth: number | null;
  intransitive: boolean;
  noconfig: boolean;
  pkg_filter: string;
}

export interface HubTag {
  name: string;
  arches: string | null;
  extra: Record<string, XmlRpcValue>;
  inheritance: InheritanceLink[];
  groups: Record<string, string[]>;
  packages: Record<string, { owner: string }>;
  createdAt: string;
}

export interface HubTarget {
  name: string;
  buildTag: string;
  destTag: string;
}

export interface HubRepo {
  id: number;
  tag: string;
  createdAt: string;
  taskId: number;
}

export interface HubBuildTask {
  localTaskId: string;
  owner: string;
  src: string;
  target: string;
  destTag: string;
  opts: Record<string, XmlRpcValue>;
  submittedAt: string;
}

export interface HubOwnTask {
  id: number;
  method: string;
  request: XmlRpcValue[];
  result: XmlRpcValue;
  owner: string;
  createdAt: string;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,254}$/;

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(value, null, 2));
  fs.renameSync(temp, file);
}

export class HubState {
  readonly dir: string;

  constructor(kojiRoot: string) {
    this.dir = path.join(kojiRoot, 'hub');
  }

  private file(kind: string, name: string): string {
    if (!SAFE_NAME.test(name)) throw new Error(`not a name Koji accepts: ${name}`);
    return path.join(this.dir, kind, `${name}.json`);
  }

  tag(name: string): HubTag | undefined {
    return SAFE_NAME.test(name) ? readJson<HubTag>(this.file('tags', name)) : undefined;
  }

  tagNames(): string[] {
    const dir = path.join(this.dir, 'tags');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length));
  }

  saveTag(tag: HubTag): void {
    writeJson(this.file('tags', tag.name), tag);
  }

  target(name: string): HubTarget | undefined {
    return SAFE_NAME.test(name) ? readJson<HubTarget>(this.file('targets', name)) : undefined;
  }

  targets(): HubTarget[] {
    const dir = path.join(this.dir, 'targets');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => readJson<HubTarget>(path.join(dir, f)) ?? []);
  }

  saveTarget(target: HubTarget): void {
    writeJson(this.file('targets', target.name), target);
  }

  repo(tag: string): HubRepo | undefined {
    return SAFE_NAME.test(tag) ? readJson<HubRepo>(this.file('repos', tag)) : undefined;
  }

  saveRepo(repo: HubRepo): void {
    writeJson(this.file('repos', repo.tag), repo);
  }

  buildTask(localTaskId: string): HubBuildTask | undefined {
    return /^[0-9a-f]{24}$/.test(localTaskId)
      ? readJson<HubBuildTask>(this.file('build-tasks', localTaskId))
      : undefined;
  }

  saveBuildTask(task: HubBuildTask): void {
    writeJson(this.file('build-tasks', task.localTaskId), task);
  }

  ownTask(id: number): HubOwnTask | undefined {
    return Number.isSafeInteger(id) ? readJson<HubOwnTask>(this.file('tasks', String(id))) : undefined;
  }

  ownTasks(): HubOwnTask[] {
    const dir = path.join(this.dir, 'tasks');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => readJson<HubOwnTask>(path.join(dir, f)) ?? []);
  }

  /** A task the hub does itself at once (newRepo): recorded closed, with its result. */
  recordOwnTask(method: string, request: XmlRpcValue[], result: XmlRpcValue, owner: string): HubOwnTask {
    // 48 random bits, as the ids of LocalKoji's tasks are 48 bits of a digest: no counter to share.
    const id = parseInt(crypto.randomBytes(6).toString('hex'), 16);
    const task = { id, method, request, result, owner, createdAt: new Date().toISOString() };
    writeJson(this.file('tasks', String(id)), task);
    return task;
  }

  /** One line per write call: who, what, with which arguments, and what came of it. */
  logCall(entry: { method: string; user: string; args: unknown; result?: unknown; fault?: string }): void {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.appendFileSync(
      path.join(this.dir, 'calls.log'),
      JSON.stringify({ at: new Date().toISOString(), ...entry }) + '\n',
    );
  }

  calls(): { method: string; user: string; args: unknown; result?: unknown; fault?: string }[] {
    const file = path.join(this.dir, 'calls.log');
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }
}
