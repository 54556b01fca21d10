// publish: the finished compose copied into the mirror tree under a temporary name, the copy checked
// (every file's size against the source, every SHA256SUM, the metadata and repomd.xml byte for byte),
// renamed to <mirror>/<COMPOSE_ID>, and only then the `latest-<short>-<version>` link moved (a new
// link under a temporary name renamed over the old one: atomic). So a half-copied or failed compose
// is never what latest points at. The newest `keep` composes of the release stay; older ones are
// deleted, never the one latest points at. The copy is made of hard links where the mirror is on the
// compose's file system (a compose is never changed once finished, and every phase replaces files by
// renaming rather than writing into them), a real copy otherwise.
import fs from 'node:fs';
import path from 'node:path';
import { PUBLISHABLE_COMPOSE_STATUSES, compareComposeIds, parseComposeId, type ComposeId } from '../../domain/compose';
import { sha256File } from './compose-files';
import { CHECKSUM_FILE, verifyChecksumFile } from './image-checksum-phase';
import { readComposeId, readComposeStatus } from './init-phase';
import { runToolOrThrow } from './run-tool';

export interface PublishPhaseInput {
  composeDir: string;
  mirrorRoot: string;
  /** how many composes of the release to keep, at least 1 */
  keep: number;
}

export interface PublishPhaseOutput {
  composeId: string;
  publishedDir: string;
  latestLink: string;
  /** compose ids deleted from the mirror as older than the newest `keep` */
  removed: string[];
}

export async function publishPhase(input: PublishPhaseInput): Promise<PublishPhaseOutput> {
  if (!Number.isInteger(input.keep) || input.keep < 1)
    throw new Error(`keep: ${input.keep} must be a whole number from 1`);
  const composeId = readComposeId(input.composeDir);
  const parsed = parseComposeId(composeId);
  if (!parsed.ok) throw new Error(`COMPOSE_ID: ${parsed.error.message}`);
  const status = readComposeStatus(input.composeDir);
  if (!PUBLISHABLE_COMPOSE_STATUSES.includes(status))
    throw new Error(
      `compose ${composeId} is ${status}: only ${PUBLISHABLE_COMPOSE_STATUSES.join(' or ')} composes are published`,
    );

  fs.mkdirSync(input.mirrorRoot, { recursive: true });
  const publishedDir = path.join(input.mirrorRoot, composeId);
  if (!fs.existsSync(publishedDir)) {
    const staging = path.join(input.mirrorRoot, `.${composeId}.partial`);
    fs.rmSync(staging, { recursive: true, force: true });
    try {
      await copyTree(input.composeDir, staging);
      fs.rmSync(path.join(staging, 'work', 'scratch'), { recursive: true, force: true });
      await verifyCopy(input.composeDir, staging);
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw new Error(`publishing ${composeId} failed, latest is unchanged: ${(err as Error).message}`);
    }
    fs.renameSync(staging, publishedDir);
  }
  const { short, version } = parsed.id;
  const latestLink = path.join(input.mirrorRoot, `latest-${short}-${version}`);
  const tempLink = `${latestLink}.${process.pid}.tmp`;
  fs.rmSync(tempLink, { force: true });
  fs.symlinkSync(composeId, tempLink);
  fs.renameSync(tempLink, latestLink);
  const removed = prune(input.mirrorRoot, parsed.id, input.keep, fs.readlinkSync(latestLink));
  return { composeId, publishedDir, latestLink, removed };
}

async function copyTree(source: string, target: string): Promise<void> {
  try {
    await runToolOrThrow('cp', ['-al', source, target]);
  } catch {
    // another file system (EXDEV) or one without hard links: copy the bytes
    fs.rmSync(target, { recursive: true, force: true });
    await runToolOrThrow('cp', ['-a', '--reflink=auto', source, target]);
  }
}

async function verifyCopy(source: string, copy: string): Promise<void> {
  const problems: string[] = [];
  const exact = (rel: string) =>
    rel.startsWith('compose/metadata/') ||
    rel.endsWith('repodata/repomd.xml') ||
    rel === 'STATUS' ||
    rel === 'COMPOSE_ID';
  for (const rel of listFiles(source)) {
    if (rel.startsWith('work/scratch/')) continue;
    const a = path.join(source, rel);
    const b = path.join(copy, rel);
    if (!fs.existsSync(b)) problems.push(`${rel} was not copied`);
    else if (fs.statSync(a).size !== fs.statSync(b).size) problems.push(`${rel} differs in size`);
    else if (exact(rel) && (await sha256File(a)) !== (await sha256File(b))) problems.push(`${rel} differs`);
    if (path.basename(rel) === CHECKSUM_FILE && fs.existsSync(b)) problems.push(...(await verifyChecksumFile(b)));
  }
  if (problems.length > 0) throw new Error(`the copy does not check: ${problems.slice(0, 10).join('; ')}`);
}

function listFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) found.push(child);
    }
  };
  walk('');
  return found.sort();
}

function prune(mirrorRoot: string, id: ComposeId, keep: number, latestTarget: string): string[] {
  const ours = fs
    .readdirSync(mirrorRoot)
    .map((name) => ({ name, parsed: parseComposeId(name) }))
    .flatMap(({ name, parsed }) =>
      parsed.ok && parsed.id.short === id.short && parsed.id.version === id.version ? [{ name, id: parsed.id }] : [],
    )
    .sort((a, b) => compareComposeIds(b.id, a.id));
  const removed: string[] = [];
  for (const old of ours.slice(keep)) {
    if (old.name === latestTarget) continue;
    fs.rmSync(path.join(mirrorRoot, old.name), { recursive: true, force: true });
    removed.push(old.name);
  }
  return removed.sort();
}
