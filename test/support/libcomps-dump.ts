// What libcomps (Debian's, from the project venv) reads from a comps file, as canonical JSON
// (test/support/comps-dump.py): two files with equal dumps are the same comps to dnf.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testEnvironment } from './environment';

const PYTHON = path.join(__dirname, '..', '..', '.venv', 'bin', 'python');
const SCRIPT = path.join(__dirname, 'comps-dump.py');

export interface LibcompsDump {
  groups: { id: string; packages: { name: string; type: string; requires: string | null }[] }[];
  categories: unknown[];
  environments: { id: string; option_ids: unknown[] }[];
  langpacks: Record<string, string>;
}

export function libcompsDumpOfFile(file: string): LibcompsDump {
  return JSON.parse(execFileSync(PYTHON, [SCRIPT, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

export function libcompsDumpOfText(xml: string): LibcompsDump {
  const file = path.join(
    testEnvironment.scratch(),
    `comps-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}.xml`,
  );
  fs.writeFileSync(file, xml);
  try {
    return libcompsDumpOfFile(file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}
