// The CI adapter's contract (what Taskotron did for Fedora's modules): check one module build and
// answer a verdict whose results are stored in ResultsDB's shape. Implementations: LocalModuleCi
// (embedded, runs the checks on this machine); a production one would submit to a CI system and
// read ResultsDB back.

export type CiOutcome = 'PASSED' | 'FAILED';
/** ERROR: the check could not run (an infrastructure problem); it counts as not passed. */
export type CiResultOutcome = 'PASSED' | 'FAILED' | 'ERROR';

export interface CiRequest {
  nsvc: string;
  campaignId: string | null;
  /** names one CI run: running the same key again returns the stored verdict and runs nothing */
  runKey: string;
}

export interface CiVerdict {
  runKey: string;
  nsvc: string;
  outcome: CiOutcome;
  results: { testcase: string; outcome: CiResultOutcome; durationMs: number }[];
  /** one human line: the failed test cases and the first line of each failure */
  summary: string;
}

export interface CiRunOptions {
  /** called when a check starts (the activity heartbeats with it) */
  onCheck?(testcase: string): void;
  /** aborts the run: running processes are killed, nothing is stored */
  signal?: AbortSignal;
}

export interface ModuleCi {
  runChecks(request: CiRequest, options?: CiRunOptions): Promise<CiVerdict>;
}

/** One finished check, before it is stored. `note` is the first line of its failure ('' when passed). */
export interface CheckResult {
  testcase: string;
  outcome: CiResultOutcome;
  durationMs: number;
  note: string;
  log: string;
  data: Record<string, unknown>;
}

const SUMMARY_LIMIT = 2000;

/** The verdict's line: every result that did not pass, with its note. */
export function summarizeResults(
  nsvc: string,
  results: { testcase: string; outcome: CiResultOutcome; note: string }[],
): string {
  const notPassed = results.filter((r) => r.outcome !== 'PASSED');
  if (notPassed.length === 0) return `${nsvc}: all ${results.length} checks passed`;
  const failures = notPassed.map((r) => `${r.testcase} ${r.outcome}${r.note ? ` (${r.note})` : ''}`).join('; ');
  const line = `${nsvc}: ${notPassed.length} of ${results.length} checks did not pass: ${failures}`;
  return line.length > SUMMARY_LIMIT ? `${line.slice(0, SUMMARY_LIMIT - 1)}…` : line;
}

/** A note is one line: the first non-empty line of a text, shortened. */
export function firstLine(text: string, limit = 300): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}
