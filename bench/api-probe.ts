// Loaded into the API process by the deps bench only (`node --import tsx --import ./bench/api-probe.ts
// workers/api.ts`, see bench/api-process.ts), never by production: it lets the bench, from its own
// process, see what an API process does not publish — clear the metadata service's cached closures
// (to time cold answers), read its memory and freshness figures, time its index load at start, and
// count the process's garbage-collection pauses between two commands. It talks over a Unix socket named
// by CASCADE_BENCH_PROBE, one JSON line per command and per answer; without that variable it does
// nothing. It wraps MetadataService.prototype.load (called once at start) and nothing on the
// request path.
import net from 'node:net';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import { MetadataService, type MetadataFreshness, type MetadataMemory } from '../api/metadata/metadata-service';

export interface ProbeLoad {
  ms: number;
  cpuMs: number;
  /** heap used after a full collection, before and after the first load (undefined for later loads) */
  heapBefore?: number;
  heapAfter?: number;
  memory: MetadataMemory;
}

export interface ProbeStats {
  loads: ProbeLoad[];
  memory: MetadataMemory;
  freshness: MetadataFreshness;
  heapUsed: number;
}

export type ProbeCommand = 'clear' | 'stats' | 'gc-start' | 'gc-stop';

const services = new Set<MetadataService>();
const loads: ProbeLoad[] = [];
/** V8's kinds of collection (a gc entry's detail.kind). */
const GC_KINDS: Record<number, GcKind> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
export type GcKind = 'minor' | 'major' | 'incremental' | 'weakcb';
export interface GcPause {
  ms: number;
  kind: GcKind | 'other';
}
let pauses: GcPause[] = [];
let watch: PerformanceObserver | undefined;

function fullGc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function wrapLoad(): void {
  const load = MetadataService.prototype.load;
  MetadataService.prototype.load = async function (this: MetadataService) {
    services.add(this);
    const first = loads.length === 0;
    if (first) fullGc();
    const heapBefore = first ? process.memoryUsage().heapUsed : undefined;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await load.call(this);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (first) fullGc();
    const heapAfter = first ? process.memoryUsage().heapUsed : undefined;
    loads.push({ ms, cpuMs: (used.user + used.system) / 1000, heapBefore, heapAfter, memory: this.memory() });
    return result;
  };
}

function serviceOf(): MetadataService {
  const [service] = services;
  if (!service) throw new Error('the probe has not seen the metadata service load');
  return service;
}

function answer(command: string): unknown {
  switch (command as ProbeCommand) {
    case 'clear':
      for (const service of services) service.clearCache();
      return { cleared: services.size };
    case 'stats': {
      const service = serviceOf();
      return {
        loads,
        memory: service.memory(),
        freshness: service.freshness(),
        heapUsed: process.memoryUsage().heapUsed,
      } satisfies ProbeStats;
    }
    case 'gc-start':
      watch?.disconnect();
      pauses = [];
      watch = new PerformanceObserver((list) => record(list.getEntries()));
      watch.observe({ entryTypes: ['gc'] });
      return { watching: true };
    case 'gc-stop': {
      if (watch) record(watch.takeRecords());
      watch?.disconnect();
      watch = undefined;
      return { pauses };
    }
    default:
      throw new Error(`unknown probe command ${JSON.stringify(command)}`);
  }
}

function record(entries: readonly PerformanceEntry[]): void {
  for (const entry of entries) {
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0;
    pauses.push({ ms: entry.duration, kind: GC_KINDS[kind] ?? 'other' });
  }
}

function listen(socketPath: string): void {
  const server = net.createServer((socket) => {
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += String(chunk);
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        let reply: unknown;
        try {
          reply = { ok: answer(line.trim()) };
        } catch (error) {
          reply = { error: error instanceof Error ? error.message : String(error) };
        }
        socket.write(JSON.stringify(reply) + '\n');
      }
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(socketPath);
  server.unref();
}

const socketPath = process.env.CASCADE_BENCH_PROBE;
if (isMainThread && socketPath) {
  wrapLoad();
  listen(socketPath);
}
