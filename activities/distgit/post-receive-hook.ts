// The post-receive hook installed into every local dist-git repository. It keeps the repository
// servable over git's dumb HTTP protocol, then hands the pushed ref updates to Cascade's notifier.
// A push has already succeeded when this runs, so nothing here may turn it into a failure.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RepoId } from './dist-git';

/** bin/cascade-dist-git-hook of this checkout: the hook must work whatever the pusher's cwd is. */
export const defaultNotifierPath = path.resolve(__dirname, '..', '..', 'bin', 'cascade-dist-git-hook');

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function postReceiveHookScript(repo: RepoId, notifierPath: string): string {
  return `#!/bin/sh
# Installed by Cascade (activities/distgit/post-receive-hook.ts); rewritten by every ensureRepo.
# The notifier reads the ref updates ("<old> <new> <refname>" lines) from this hook's stdin.
git update-server-info || echo "cascade: git update-server-info failed; dumb HTTP clones may be stale" >&2
${shellQuote(notifierPath)} ${shellQuote(repo.namespace)} ${shellQuote(repo.name)} ||
  echo "cascade: the dist-git notifier failed; Cascade may not have seen this push" >&2
exit 0
`;
}

/** Writes hooks/post-receive atomically (temp file, then rename), so a push never runs half a script. */
export async function installPostReceiveHook(gitDir: string, repo: RepoId, notifierPath: string): Promise<void> {
  const hooksDir = path.join(gitDir, 'hooks');
  await fs.mkdir(hooksDir, { recursive: true });
  const target = path.join(hooksDir, 'post-receive');
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(temp, postReceiveHookScript(repo, notifierPath), { mode: 0o755 });
  await fs.chmod(temp, 0o755); // the umask may have removed bits from the mode above
  await fs.rename(temp, target);
}
