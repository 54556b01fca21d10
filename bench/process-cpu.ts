// CPU time of the benchmark's processes, from /proc (Linux): this process (the worker), the Temporal
// dev server, and the PostgreSQL cluster (its postmaster and every backend). Wall time on a shared
// machine is noisy; CPU seconds per module say what the work costs and where.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in seconds: its own threads and its reaped children */
  cpuSeconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces; the fields after its closing parenthesis do not
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return { pid, ppid: Number(fields[1]), cpuSeconds: ticks / ticksPerSecond };
  } catch {
    return undefined;
  }
}

function allProcesses(): ProcStat[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readStat(Number(name)) ?? []);
}

/** A process and all its living descendants. */
function processTree(rootPid: number): ProcStat[] {
  const processes = allProcesses();
  const children = new Map<number, ProcStat[]>();
  for (const p of processes) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const tree: ProcStat[] = [];
  const queue = processes.filter((p) => p.pid === rootPid);
  while (queue.length > 0) {
    const p = queue.pop()!;
    tree.push(p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return tree;
}

/** CPU seconds of a process and all its living descendants (plus the children they reaped). */
export function treeCpuSeconds(rootPid: number): number {
  return processTree(rootPid).reduce((total, p) => total + p.cpuSeconds, 0);
}

/** Resident memory of a process and all its living descendants, in MB (0 where there is no /proc). */
export function treeRssMb(rootPid: number): number {
  let kib = 0;
  for (const p of processTree(rootPid)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${p.pid}/status`, 'utf8'));
      kib += Number(match?.[1] ?? 0);
    } catch {
      // the process ended while we looked
    }
  }
  return kib / 1024;
}

/** The PostgreSQL postmaster serving on this loopback port (started by platform/postgres-cluster.ts). */
export function findPostmaster(port: number): number | undefined {
  for (const name of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const args = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const at = args.indexOf('-p');
      if (args[0]?.endsWith('/postgres') && at > 0 && args[at + 1] === String(port)) return Number(name);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

export interface CpuSnapshot {
  worker: number;
  temporal: number;
  postgres: number;
  /** busy CPU seconds of the whole machine (every core, every process: other people's too) */
  machine: number;
}

function machineBusySeconds(): number {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
    return (user + nice + system + irq + softirq + steal) / ticksPerSecond;
  } catch {
    return 0;
  }
}

export function cpuSnapshot(temporalPid: number | undefined, postmasterPid: number | undefined): CpuSnapshot {
  const own = process.cpuUsage();
  return {
    worker: (own.user + own.system) / 1e6,
    temporal: temporalPid ? treeCpuSeconds(temporalPid) : 0,
    postgres: postmasterPid ? treeCpuSeconds(postmasterPid) : 0,
    machine: machineBusySeconds(),
  };
}

export function cpuSince(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return {
    worker: after.worker - before.worker,
    temporal: after.temporal - before.temporal,
    postgres: after.postgres - before.postgres,
    machine: after.machine - before.machine,
  };
}
