// The dist-git notifier: a separate program that a repository's post-receive hook runs as
// `bin/cascade-dist-git-hook <namespace> <name>` with the ref updates on stdin. git starts it with
// cwd = the bare repository (GIT_DIR set), so the dist-git root is two directories above it. It sends
// one signed event per push to the API, or spools it; it reads process.env because git, not Cascade's
// config, is what starts it.
import os from 'node:os';
import path from 'node:path';
import { parseRepoId } from '../activities/distgit/dist-git';
import { buildPushEventBody, deliverPushEvent, parsePostReceiveInput } from '../activities/distgit/push-event';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function pusherName(): string {
  const fromEnv = process.env.GL_USER || process.env.USER;
  if (fromEnv) return fromEnv;
  try {
    return os.userInfo().username;
  } catch {
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

async function main(): Promise<number> {
  const [namespace, name] = process.argv.slice(2);
  const repo = parseRepoId(namespace, name);
  const updates = parsePostReceiveInput(await readStdin(), repo);
  if (updates.length === 0) return 0; // tags or other refs only: nothing Cascade follows
  const repoDir = path.resolve(process.cwd(), process.env.GIT_DIR ?? '.');
  const root = path.dirname(path.dirname(repoDir));
  const body = buildPushEventBody(pusherName(), new Date(), updates);
  const outcome = await deliverPushEvent({ root, body });
  if (!outcome.delivered) {
    process.stderr.write(
      `cascade: could not notify Cascade (${outcome.reason}); the push event is saved in ${outcome.spooledTo} for replay\n`,
    );
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `cascade: dist-git notifier failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
