// Test support: a fresh copy of this checkout, as a newcomer's clone would be: every file git tracks
// or would track (its current content, so the copy tests the tree as it stands), and nothing git
// ignores (.data, .build, web/dist, …). What the bootstrap installs from registries (node_modules,
// .venv, .tools) is linked rather than installed again: the bootstrap finds its stamps and goes on.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const INSTALLED = ['node_modules', '.venv', '.tools'];

export function copyProject(projectRoot: string, dest: string): string {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: projectRoot,
    maxBuffer: 64 * 1024 * 1024,
  })
    .toString()
    .split('\0')
    .filter(Boolean);
  for (const file of listed) {
    const from = path.join(projectRoot, file);
    const stat = fs.lstatSync(from, { throwIfNoEntry: false });
    if (!stat || stat.isDirectory()) continue; // deleted in the work tree, or a submodule
    const to = path.join(dest, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(from), to);
      continue;
    }
    fs.copyFileSync(from, to);
    fs.chmodSync(to, stat.mode & 0o777);
  }
  for (const dir of INSTALLED)
    if (fs.existsSync(path.join(projectRoot, dir))) fs.symlinkSync(path.join(projectRoot, dir), path.join(dest, dir));
  return dest;
}
