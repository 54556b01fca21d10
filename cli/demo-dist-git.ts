// How `cascade demo` writes to the embedded dist-git: files committed on a branch of a repository
// and pushed with plain git, as a person would, so the repository's hook tells Cascade about the push.
// Pushing the same files again commits nothing, which is what makes the demo safe to run twice.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type PushOutcome = 'pushed' | 'unchanged' | 'kept';

function git(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('git', args, { cwd, env, timeout: 120_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`git ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(stdout),
    ),
  );
}

/** A person's git identity; GL_USER is the pusher the hook reports to Cascade. */
export function pusherEnv(user: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GL_USER: user,
    GIT_AUTHOR_NAME: user,
    GIT_AUTHOR_EMAIL: `${user}@localhost`,
    GIT_COMMITTER_NAME: user,
    GIT_COMMITTER_EMAIL: `${user}@localhost`,
  };
}

/**
 * Commits `files` on `branch` of the repository at `pushUrl` and pushes them. `keepExisting`: a branch
 * that already exists is left as it is ('kept'), whatever it holds.
 */
export async function pushFiles(
  pushUrl: string,
  branch: string,
  files: Record<string, string>,
  options: { message: string; user: string; keepExisting?: boolean },
): Promise<PushOutcome> {
  if (!fs.existsSync(pushUrl))
    throw new Error(
      `${pushUrl}: no such repository on this machine; the demo pushes to the embedded dist-git, so run it where 'make start' runs`,
    );
  const env = pusherEnv(options.user);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-demo-'));
  try {
    const work = path.join(scratch, 'work');
    await git(['clone', '--quiet', pushUrl, work], scratch, env);
    const exists = await git(['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}`], work, env).then(
      () => true,
      () => false,
    );
    if (exists && options.keepExisting) return 'kept';
    await git(
      exists ? ['checkout', '--quiet', '-B', branch, `origin/${branch}`] : ['checkout', '--quiet', '--orphan', branch],
      work,
      env,
    );
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(work, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content, { mode: content.startsWith('#!') ? 0o755 : 0o644 });
      // An existing file keeps its mode through writeFileSync: a script is made executable explicitly.
      if (content.startsWith('#!')) fs.chmodSync(target, 0o755);
    }
    await git(['add', '--', ...Object.keys(files)], work, env);
    const changed = await git(['diff', '--cached', '--quiet'], work, env).then(
      () => false,
      () => true,
    );
    if (!changed) return 'unchanged';
    await git(['commit', '--quiet', '-m', options.message], work, env);
    await git(['push', '--quiet', 'origin', branch], work, env);
    return 'pushed';
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
