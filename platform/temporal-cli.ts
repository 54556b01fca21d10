// Finds the official Temporal CLI (for its dev server) in the documented order. The bootstrap
// (scripts/bootstrap) installs it into .tools/bin when none of these has it.
import fs from 'node:fs';
import path from 'node:path';

export function findTemporalCli(
  configured: string | undefined,
  projectRoot: string,
  searchPath: string,
): string | undefined {
  if (configured) return configured;
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  const local = path.join(projectRoot, '.tools', 'bin', 'temporal');
  return isExecutable(local) ? local : undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
