// The chaos harness's composes: a release whose one variant holds the modules built for real (defined
// through the API as a release engineer would), a compose of it started through the API after each
// campaign, followed until it ends while kills go on, and the checks: every compose the harness
// started is in the store and ended FINISHED, as its workflow says; it was published exactly once
// (one tree on the mirror under its id, no half-copied tree left, one published event).
import fs from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import type { Finding } from './chaos-checks';

export const CHAOS_RELEASE = 'chaos-29';
export const CHAOS_VARIANT = 'Chaos';

async function send(apiUrl: string, token: string, method: string, urlPath: string, body: string, type: string) {
  return fetch(apiUrl + urlPath, {
    method,
    headers: { 'content-type': type, authorization: `Bearer ${token}` },
    body,
    signal: AbortSignal.timeout(15_000),
  });
}

export function chaosVariantsXml(modules: string[], branch: string): string {
  const listed = modules.map((m) => `<module>${m}:${branch}/default</module>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<variants>
  <variant id="${CHAOS_VARIANT}" name="${CHAOS_VARIANT}" type="variant">
    <arches><arch>x86_64</arch></arches>
    <modules>${listed}</modules>
  </variant>
</variants>
`;
}

/** Defines the release and its variant (before any kill: a failure here is the harness's own). */
export async function defineChaosRelease(apiUrl: string, token: string, modules: string[], branch: string) {
  const created = await send(
    apiUrl,
    token,
    'POST',
    '/api/v1/releases',
    JSON.stringify({ key: CHAOS_RELEASE }),
    'application/json',
  );
  if (created.status !== 201) throw new Error(`release ${CHAOS_RELEASE}: ${created.status} ${await created.text()}`);
  const variants = await send(
    apiUrl,
    token,
    'POST',
    `/api/v1/releases/${CHAOS_RELEASE}/variants.xml`,
    chaosVariantsXml(modules, branch),
    'application/xml',
  );
  if (!variants.ok) throw new Error(`variants of ${CHAOS_RELEASE}: ${variants.status} ${await variants.text()}`);
}

/**
 * Starts a compose, asking again while the API (or what it needs) is down. Answers its id once
 * the API accepted it (202); undefined when it never did within `limitMs`.
 */
export async function startChaosCompose(apiUrl: string, token: string, limitMs: number): Promise<string | undefined> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    try {
      const body = JSON.stringify({ release: CHAOS_RELEASE, type: 'nightly' });
      const res = await send(apiUrl, token, 'POST', '/api/v1/composes', body, 'application/json');
      if (res.status === 202) return ((await res.json()) as { composeId: string }).composeId;
      if (res.status < 500) throw new Error(`compose of ${CHAOS_RELEASE}: ${res.status} ${await res.text()}`);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('compose of')) throw err;
      // the API or what it needs is down: ask again
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return undefined;
}

/** The compose's status and whether it is on the mirror, as the API answers them (undefined: no answer). */
export async function composeState(
  apiUrl: string,
  composeId: string,
): Promise<{ status: string; published: boolean } | undefined> {
  try {
    const res = await fetch(`${apiUrl}/api/v1/composes/${composeId}`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { status: string; mirrorPath?: string | null; publishedAt?: string | null };
    return { status: body.status, published: Boolean(body.publishedAt ?? body.mirrorPath) };
  } catch {
    return undefined;
  }
}

export interface ComposeCheckInput {
  prisma: PrismaClient;
  temporal: Client;
  mirrorRoot: string;
  /** compose ids the API accepted (202) */
  started: string[];
}

/** Every compose ended FINISHED as its workflow says, published once; none the API accepted is missing. */
export async function checkComposes(input: ComposeCheckInput, findings: Finding[]): Promise<number> {
  const { prisma } = input;
  const composes = await prisma.compose.findMany({
    select: { composeId: true, workflowId: true, status: true, statusReason: true, mirrorPath: true },
  });
  const stored = new Set(composes.map((c) => c.composeId));
  for (const id of input.started)
    if (!stored.has(id)) findings.push({ kind: 'lost', what: `compose ${id} was answered 202 but is not stored` });
  const published = await prisma.event.groupBy({
    by: ['objectKey'],
    where: { topic: 'cascade.compose.published' },
    _count: { _all: true },
  });
  const publishedCount = new Map(published.map((p) => [p.objectKey, p._count._all]));
  const mirrorEntries = fs.existsSync(input.mirrorRoot) ? fs.readdirSync(input.mirrorRoot) : [];
  for (const c of composes) {
    if (c.status !== 'FINISHED')
      findings.push({ kind: 'wrong', what: `compose ${c.composeId} is ${c.status}: ${c.statusReason ?? 'no reason'}` });
    await checkComposeWorkflow(input.temporal, c, findings);
    const events = publishedCount.get(`compose/${c.composeId}`) ?? 0;
    if (events !== 1)
      findings.push({
        kind: events === 0 ? 'lost' : 'duplicated',
        what: `compose ${c.composeId}: ${events} published events`,
      });
    const trees = mirrorEntries.filter((e) => e.includes(c.composeId));
    if (c.status === 'FINISHED' && (trees.length !== 1 || trees[0] !== c.composeId))
      findings.push({
        kind: trees.length > 1 ? 'duplicated' : 'lost',
        what: `compose ${c.composeId}: mirror holds ${trees.length ? trees.join(', ') : 'nothing'}`,
      });
    if (c.status === 'FINISHED' && c.mirrorPath !== path.join(input.mirrorRoot, c.composeId))
      findings.push({
        kind: 'wrong',
        what: `compose ${c.composeId}: the store says it is published at ${c.mirrorPath}`,
      });
  }
  return composes.length;
}

async function checkComposeWorkflow(
  temporal: Client,
  c: { composeId: string; workflowId: string; status: string },
  findings: Finding[],
): Promise<void> {
  const handle = temporal.workflow.getHandle(c.workflowId);
  const description = await handle.describe();
  if (description.status.name !== 'COMPLETED') {
    findings.push({ kind: 'wrong', what: `compose workflow ${c.workflowId} is ${description.status.name}` });
    return;
  }
  const result = (await handle.result()) as { status: string };
  if (result.status !== c.status)
    findings.push({
      kind: 'wrong',
      what: `compose ${c.composeId}: the workflow says ${result.status}, the store ${c.status}`,
    });
}
