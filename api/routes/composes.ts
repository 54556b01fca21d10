// /api/v1/composes: start a compose of a release (release engineers), list and read composes (status,
// phase timings, variants with their validation, modules, images, what changed, published or not),
// cancel one, and read its Temporal history.
import type { PrismaClient } from '@prisma/client';
import { Router } from 'express';
import type { ComposeClient } from '../../clients/compose-client';
import { workflowIds } from '../../domain/workflow-ids';
import { composesHoldingModule, listComposes, readCompose } from '../../store/compose-views';
import { ApiError, notFound } from '../errors';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import { readWorkflowHistory } from '../temporal-history';
import type { Client } from '@temporalio/client';
import { parse } from '../validate';
import { CancelComposeBody, ComposeCreate, ComposeIdParams, ComposeListQuery } from './composes.schemas';
import { registerComposePaths } from './composes.openapi';

/** The variant uids a release defines in Comps-as-a-Service (undefined: no such release). */
export type ReleaseVariantsReader = (release: string) => Promise<string[] | undefined>;

export interface ComposeRouteDeps {
  prisma: PrismaClient;
  temporal: Client;
  composes: ComposeClient;
  /** what a release's variants are, from Comps-as-a-Service: a compose of an unknown release is refused */
  releaseVariants: ReleaseVariantsReader;
}

registerComposePaths();

function splitRelease(key: string): { short: string; version: string } {
  const at = key.lastIndexOf('-');
  return { short: key.slice(0, at), version: key.slice(at + 1) };
}

export function composeRoutes(deps: ComposeRouteDeps): Router {
  const router = Router();

  const readOne = async (id: string) => {
    const compose = await readCompose(deps.prisma, { composeId: id });
    if (!compose) throw notFound('compose', id);
    return compose;
  };

  router.post('/', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const body = parse(ComposeCreate, req, 'body');
    ensureAllowed(actor, 'compose.start', { kind: 'global' });
    const defined = await deps.releaseVariants(body.release);
    if (!defined || defined.length === 0)
      throw new ApiError(
        422,
        'release_has_no_variants',
        `release ${body.release} defines no variants in Comps-as-a-Service`,
        {
          fields: [{ field: 'body.release', message: 'no variants are defined for this release' }],
        },
      );
    const unknown = (body.variants ?? []).filter((v) => !defined.includes(v));
    if (unknown.length > 0)
      throw new ApiError(422, 'unknown_variant', `release ${body.release} has no variant ${unknown.join(', ')}`, {
        fields: [{ field: 'body.variants', message: `unknown: ${unknown.join(', ')}; defined: ${defined.join(', ')}` }],
      });
    const started = await deps.composes.startReleaseCompose({
      ...splitRelease(body.release),
      type: body.type,
      variants: body.variants,
      label: body.label ?? null,
      requestedBy: actor.name,
    });
    res
      .status(202)
      .location(`/api/v1/composes/${started.composeId}`)
      .json({ composeId: started.composeId, workflowId: started.workflowId, status: 'STARTED' });
  });

  router.get('/', async (req, res) => {
    const q = parse(ComposeListQuery, req, 'query');
    if (q.module) {
      const [name, stream, version] = q.module.split(':');
      const nsvc = version ? q.module : undefined;
      res.json({ items: await composesHoldingModule(deps.prisma, name!, stream!, nsvc), next: null });
      return;
    }
    res.json(
      await listComposes(deps.prisma, {
        release: q.release,
        status: q.status,
        limit: q.limit,
        // a cursor past the largest number a compose can have (int4) stands before every compose
        before: q.cursor !== undefined ? Math.min(Number(q.cursor), 2 ** 31 - 1) : undefined,
      }),
    );
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(ComposeIdParams, req, 'params');
    res.json(await readOne(id));
  });

  router.get('/:id/changes', async (req, res) => {
    const { id } = parse(ComposeIdParams, req, 'params');
    const compose = await readOne(id);
    if (!compose.changes)
      throw new ApiError(409, 'no_changes_yet', `compose ${id} has not reached its metadata phase yet`);
    res.json(compose.changes);
  });

  router.get('/:id/history', async (req, res) => {
    const { id } = parse(ComposeIdParams, req, 'params');
    await readOne(id);
    const workflowId = workflowIds.compose(id);
    res.json({ workflowId, events: await readWorkflowHistory(deps.temporal, workflowId) });
  });

  router.post('/:id/cancel', async (req, res) => {
    const actor = await requireActor(deps.prisma, req);
    const { id } = parse(ComposeIdParams, req, 'params');
    parse(CancelComposeBody, req, 'body');
    const compose = await readOne(id);
    ensureAllowed(actor, 'compose.cancel', { kind: 'global' });
    if (compose.status !== 'STARTED')
      throw new ApiError(
        409,
        'compose_ended',
        `compose ${id} is ${compose.status}: only a running compose is cancelled`,
      );
    const outcome = await deps.composes.cancel(id, actor.name);
    if (outcome === 'ended') throw new ApiError(409, 'compose_ended', `compose ${id} has already ended`);
    res.status(202).json({ composeId: id, status: 'cancelling' });
  });

  return router;
}
