// Runs Debian's modulemd-validator over many documents at once: it takes any number of files and says of
// each "<file> validated successfully" or "<file> failed to validate", so a few processes judge hundreds.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const MODULEMD_VALIDATOR = '/usr/bin/modulemd-validator';

export interface BatchVerdict {
  valid: boolean;
  /** What the validator printed about this file (its errors when it failed). */
  output: string;
}

/** Verdicts in the order of `texts`; `parallel` validator processes share the work. */
export async function validateTexts(
  texts: string[],
  options: { packagerV3?: boolean; parallel?: number } = {},
): Promise<BatchVerdict[]> {
  if (texts.length === 0) return [];
  const directory = mkdtempSync(path.join(os.tmpdir(), 'cascade-mmd-fuzz-'));
  try {
    const files = texts.map((text, index) => {
      const file = path.join(directory, `doc${String(index).padStart(5, '0')}.yaml`);
      writeFileSync(file, text);
      return file;
    });
    const parallel = Math.max(1, options.parallel ?? 2);
    const chunk = Math.ceil(files.length / parallel);
    const chunks = Array.from({ length: parallel }, (_, i) => files.slice(i * chunk, (i + 1) * chunk)).filter(
      (part) => part.length > 0,
    );
    const verdicts = new Map<string, BatchVerdict>();
    await Promise.all(chunks.map((part) => judgeFiles(part, options.packagerV3 ?? false, verdicts)));
    return files.map((file) => {
      const verdict = verdicts.get(file);
      if (!verdict) throw new Error(`modulemd-validator gave no verdict on ${file}`);
      return verdict;
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** One process for the files; a file it gave no verdict on (it crashed on it) is judged alone. */
async function judgeFiles(files: string[], packagerV3: boolean, verdicts: Map<string, BatchVerdict>) {
  const run = await runValidator(files, packagerV3);
  const outcomes = readOutcomes(run.output, files);
  for (const [index, file] of files.entries()) {
    const outcome = outcomes.get(file);
    if (outcome) {
      verdicts.set(file, outcome);
      continue;
    }
    if (files.length === 1) {
      verdicts.set(file, {
        valid: false,
        output: `the validator stopped (${run.signal ?? run.status}): ${run.output}`,
      });
      continue;
    }
    await judgeFiles(files.slice(index, index + 1), packagerV3, verdicts);
  }
}

function readOutcomes(output: string, files: string[]): Map<string, BatchVerdict> {
  const outcomes = new Map<string, BatchVerdict>();
  const known = new Set(files);
  // Lines about a file start with its path; the lines after a failure (its subdocuments) belong to it.
  let current: string | undefined;
  let lines: string[] = [];
  const close = () => {
    if (current && outcomes.has(current)) outcomes.get(current)!.output = lines.join('\n');
  };
  for (const line of output.split('\n')) {
    const match = /^(\S+\.yaml) (validated successfully|failed to validate)$/.exec(line);
    if (match && known.has(match[1]!)) {
      close();
      current = match[1]!;
      lines = [line];
      outcomes.set(current, { valid: match[2] === 'validated successfully', output: line });
      continue;
    }
    lines.push(line);
  }
  close();
  return outcomes;
}

function runValidator(files: string[], packagerV3: boolean) {
  const args = [...(packagerV3 ? ['--type=modulemd-packager-v3'] : []), ...files];
  return new Promise<{ output: string; status: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    // stderr joined to stdout in one pipe keeps each file's lines together.
    const child = spawn('/bin/sh', ['-c', `exec stdbuf -oL "$0" "$@" 2>&1`, MODULEMD_VALIDATOR, ...args], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ output, status, signal }));
  });
}
