// An opt-in record of the compose tools' runs (createrepo_c, dnf, rpm, xorriso…): when, for how long
// and with how much CPU each ran, so a benchmark can tell the tools' own time from Cascade's. Off by
// default: run-tool.ts only pays a null check. Only bench/ turns it on; nothing in the compose reads it.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export interface ToolRunSample {
  /** the program's base name (python3 runs dnf's API for repoclosure) */
  command: string;
  /** performance.now() at spawn and at exit, in ms */
  startMs: number;
  endMs: number;
  /**
   * CPU seconds of the children this process reaped since the previous sample: the tool's own (and
   * its children's) when tools end one at a time; two ending together may swap their shares.
   */
  cpuSeconds: number;
}

let recording: ToolRunSample[] | null = null;
let reapedCpuAtLastSample = 0;

const ticksPerSecond = 100;

/** CPU seconds of this process's reaped children (cutime + cstime from /proc/self/stat). */
function reapedChildrenCpuSeconds(): number {
  try {
    const text = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** Starts recording (dropping an earlier record); answers the live list the runs are added to. */
export function startRecordingToolRuns(): ToolRunSample[] {
  recording = [];
  reapedCpuAtLastSample = reapedChildrenCpuSeconds();
  return recording;
}

export function stopRecordingToolRuns(): ToolRunSample[] {
  const samples = recording ?? [];
  recording = null;
  return samples;
}

/** A clock for one run, or null when nobody records (the common case: no cost). */
export function toolRunClock(command: string): { stop(): void } | null {
  if (!recording) return null;
  const list = recording;
  const startMs = performance.now();
  return {
    stop() {
      const reaped = reapedChildrenCpuSeconds();
      list.push({
        command: path.basename(command),
        startMs,
        endMs: performance.now(),
        cpuSeconds: reaped - reapedCpuAtLastSample,
      });
      reapedCpuAtLastSample = reaped;
    },
  };
}
