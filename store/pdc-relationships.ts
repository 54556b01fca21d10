/**
 * store/: Prisma-backed reads and writes of Cascade's own records, shared by the activities (which
 * write through them) and the API (which reads through them). No Temporal, no HTTP.
 *
 * This file: the PDC relationship store. Relationships and module components are append-only
 * history rows (validFrom, validTo); a new definition closes what it no longer says and opens what it
 * newly says, in bulk, and appends one DependencyChange row per stream that changed.
 */
import type { Prisma, PrismaClient } from '@prisma/client';
import {
  insertComponentNames,
  insertDependencyChanges,
  insertModuleComponents,
  insertModuleStreams,
  insertRelationships,
  updateModuleStreams,
  type ModuleStreamRow,
} from './bulk-inserts';
import { knownStreamsOf, openComponentsOf, openEdgesOf } from './stream-lookups';
import {
  componentKey,
  diffByKey,
  edgeKey,
  type ComponentEntry,
  type ModuleDefinition,
  type RelationshipEdge,
} from '../domain/pdc';

export interface DefinitionSource {
  at: Date;
  commitHash?: string | null;
  modulemd?: string | null;
  version?: string | null;
  context?: string | null;
}

export interface ApplyReport {
  streams: number;
  changedStreams: number;
  edgesAdded: number;
  edgesRemoved: number;
  componentsAdded: number;
  componentsRemoved: number;
}

export const emptyApplyReport = (streams = 0): ApplyReport => ({
  streams,
  changedStreams: 0,
  edgesAdded: 0,
  edgesRemoved: 0,
  componentsAdded: 0,
  componentsRemoved: 0,
});

const streamKey = (name: string, stream: string) => `${name}:${stream}`;

/**
 * Records what each definition says as of its source's time. Idempotent: applying the same
 * definitions again changes nothing. One transaction for the whole batch.
 */
export async function applyModuleDefinitions(
  prisma: PrismaClient,
  items: { definition: ModuleDefinition; source: DefinitionSource }[],
): Promise<ApplyReport> {
  // Concurrent writers (parallel import batches, pushes to two streams) can still deadlock on shared
  // rows such as component names; PostgreSQL aborts one of them, which is retried whole.
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyOnce(prisma, items);
    } catch (err) {
      if (attempt >= 4 || !isDeadlock(err)) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.floor(Math.random() * 50)));
    }
  }
}

function isDeadlock(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String((err as { code?: unknown }).code ?? '')}` : String(err);
  return /deadlock detected|P2034|could not serialize/.test(text);
}

async function applyOnce(
  prisma: PrismaClient,
  items: { definition: ModuleDefinition; source: DefinitionSource }[],
): Promise<ApplyReport> {
  const report = emptyApplyReport(items.length);
  if (items.length === 0) return report;
  const streamFilter = items.map(({ definition: d }) => ({ name: d.name, stream: d.stream }));
  return prisma.$transaction(
    async (tx) => {
      // One after another: a transaction is one connection, and pg will not queue queries on it.
      const openEdges = await openEdgesOf(tx, streamFilter);
      const openComponents = await openComponentsOf(tx, streamFilter);
      const knownStreams = await knownStreamsOf(tx, streamFilter);
      const edgesByStream = groupBy(openEdges, (e) => streamKey(e.fromName, e.fromStream));
      const componentsByStream = groupBy(openComponents, (c) => streamKey(c.moduleName, c.moduleStream));
      const known = new Set(knownStreams.map((s) => streamKey(s.name, s.stream)));

      const newEdges: Prisma.ModuleRelationshipCreateManyInput[] = [];
      const newComponents: Prisma.ModuleComponentCreateManyInput[] = [];
      const closures: { edgeIds: bigint[]; componentIds: bigint[]; at: Date }[] = [];
      const changes: { moduleName: string; moduleStream: string; at: Date }[] = [];
      const newStreams: ModuleStreamRow[] = [];
      const updatedStreams: ModuleStreamRow[] = [];

      for (const { definition: d, source } of items) {
        const key = streamKey(d.name, d.stream);
        const recordedEdges = edgesByStream.get(key) ?? [];
        const edgeDiff = diffByKey<RelationshipEdge & { id?: bigint }>(
          recordedEdges.map((e) => ({ id: e.id, type: e.type, toName: e.toName, toStream: e.toStream })),
          d.edges,
          edgeKey,
        );
        const recordedComponents = componentsByStream.get(key) ?? [];
        const componentDiff = diffByKey<ComponentEntry & { id?: bigint }>(
          recordedComponents.map((c) => ({
            id: c.id,
            name: c.componentName,
            ref: c.ref,
            buildorder: c.buildorder,
            rationale: c.rationale,
          })),
          d.components,
          componentKey,
        );
        for (const e of edgeDiff.added) {
          newEdges.push({
            fromName: d.name,
            fromStream: d.stream,
            type: e.type,
            toName: e.toName,
            toStream: e.toStream,
            release: d.release,
            validFrom: source.at,
            commitHash: source.commitHash ?? null,
          });
        }
        for (const c of componentDiff.added) {
          newComponents.push({
            moduleName: d.name,
            moduleStream: d.stream,
            componentName: c.name,
            ref: c.ref,
            buildorder: c.buildorder,
            rationale: c.rationale,
            validFrom: source.at,
            commitHash: source.commitHash ?? null,
          });
        }
        const edgeIds = edgeDiff.removed.map((e) => e.id!);
        const componentIds = componentDiff.removed.map((c) => c.id!);
        if (edgeIds.length || componentIds.length) closures.push({ edgeIds, componentIds, at: source.at });
        const changed =
          edgeDiff.added.length + edgeDiff.removed.length + componentDiff.added.length + componentDiff.removed.length >
          0;
        if (changed) {
          report.changedStreams += 1;
          changes.push({ moduleName: d.name, moduleStream: d.stream, at: source.at });
        }
        report.edgesAdded += edgeDiff.added.length;
        report.edgesRemoved += edgeDiff.removed.length;
        report.componentsAdded += componentDiff.added.length;
        report.componentsRemoved += componentDiff.removed.length;
        const streamData = {
          modulemd: source.modulemd ?? null,
          headHash: source.commitHash ?? null,
          version: source.version ?? null,
          context: source.context ?? null,
        };
        if (!known.has(key)) {
          known.add(key);
          newStreams.push({ name: d.name, stream: d.stream, ...streamData });
        } else if (changed || source.commitHash || source.version) {
          updatedStreams.push({ name: d.name, stream: d.stream, ...streamData });
        }
      }
      // sorted: concurrent transactions take the rows' locks in one order
      const byStreamKey = (a: ModuleStreamRow, b: ModuleStreamRow) =>
        streamKey(a.name, a.stream) < streamKey(b.name, b.stream) ? -1 : 1;
      const now = new Date();
      await insertModuleStreams(tx, newStreams.sort(byStreamKey), now);
      await updateModuleStreams(tx, updatedStreams.sort(byStreamKey), now);
      for (const c of closures) {
        if (c.edgeIds.length)
          await tx.moduleRelationship.updateMany({ where: { id: { in: c.edgeIds } }, data: { validTo: c.at } });
        if (c.componentIds.length)
          await tx.moduleComponent.updateMany({ where: { id: { in: c.componentIds } }, data: { validTo: c.at } });
      }
      await insertRelationships(tx, newEdges);
      await insertModuleComponents(tx, newComponents);
      await insertComponentNames(tx, [...new Set(newComponents.map((c) => c.componentName))].sort(), now);
      await insertDependencyChanges(tx, changes);
      return report;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Rows in force at `at`: opened at or before it, not closed by then. */
export const inForceAt = (at: Date) => ({ validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }] });
