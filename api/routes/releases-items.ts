// One item of a release's comps or variants at a time: list, read, create (POST), create or replace
// (PUT), delete. Mounted by releases.ts under /api/v1/releases/:release.
import type { PrismaClient } from '@prisma/client';
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { VariantsDocument, variantUid, type Variant } from '../../domain/comps';
import {
  deleteItem,
  findVariant,
  putItem,
  readComps,
  readItem,
  readVariants,
  writeVariants,
  type CompsItemKind,
} from '../../store/comps';
import { ApiError, notFound } from '../errors';
import { parse } from '../validate';
import { ensureAllowed, requireActor } from '../identity/authenticate';
import {
  CategoryBody,
  EnvironmentBody,
  GroupBody,
  ItemParams,
  LangpackBody,
  ReleaseParams,
  VariantBody,
  VariantParams,
} from './releases.schemas';

export const COMPS_COLLECTIONS: {
  path: string;
  kind: CompsItemKind;
  list: 'groups' | 'categories' | 'environments' | 'langpacks';
  schema: z.ZodType;
  key: (item: never) => string;
}[] = [
  { path: 'groups', kind: 'group', list: 'groups', schema: GroupBody, key: (g: { id: string }) => g.id },
  { path: 'categories', kind: 'category', list: 'categories', schema: CategoryBody, key: (c: { id: string }) => c.id },
  {
    path: 'environments',
    kind: 'environment',
    list: 'environments',
    schema: EnvironmentBody,
    key: (e: { id: string }) => e.id,
  },
  {
    path: 'langpacks',
    kind: 'langpack',
    list: 'langpacks',
    schema: LangpackBody,
    key: (l: { name: string }) => l.name,
  },
];

const releaseParams = (req: Request) => parse(ReleaseParams, req, 'params');

/** The actor, if a release engineer; 401 or 403 otherwise. */
export async function compsWriter(prisma: PrismaClient, req: Request) {
  const actor = await requireActor(prisma, req);
  ensureAllowed(actor, 'comps.write', { kind: 'global' });
  return actor;
}

export function compsItemRoutes(prisma: PrismaClient): Router {
  const router = Router({ mergeParams: true });
  for (const collection of COMPS_COLLECTIONS) {
    const what = collection.kind;
    router.get(`/${collection.path}`, async (req, res) => {
      const { release } = releaseParams(req);
      const comps = await readComps(prisma, release);
      if (!comps) throw notFound('release', release);
      res.json({ items: comps[collection.list] });
    });
    router.get(`/${collection.path}/:id`, async (req, res) => {
      const { release, id } = parse(ItemParams, req, 'params');
      const item = await readItem(prisma, release, collection.kind, id);
      if (!item) throw notFound(what, `${release}/${id}`);
      res.json(item);
    });
    const write = (mode: 'post' | 'put') => async (req: Request, res: Response) => {
      const actor = await compsWriter(prisma, req);
      const { release } = releaseParams(req);
      const item = parse(collection.schema, req, 'body') as never;
      const id = collection.key(item);
      if (mode === 'put') {
        const { id: pathId } = parse(ItemParams, req, 'params');
        if (pathId !== id) throw mismatch(`the body's id '${id}' is not '${pathId}' of the path`);
      } else if (await readItem(prisma, release, collection.kind, id)) {
        throw new ApiError(409, 'conflict', `${what} '${id}' already exists in ${release}; PUT replaces it`);
      }
      const outcome = await putItem(prisma, release, collection.kind, id, item, actor.name);
      if (outcome === 'no-release') throw notFound('release', release);
      res
        .status(outcome === 'created' ? 201 : 200)
        .location(`/api/v1/releases/${release}/${collection.path}/${encodeURIComponent(id)}`)
        .json(item);
    };
    router.post(`/${collection.path}`, write('post'));
    router.put(`/${collection.path}/:id`, write('put'));
    router.delete(`/${collection.path}/:id`, async (req, res) => {
      const actor = await compsWriter(prisma, req);
      const { release, id } = parse(ItemParams, req, 'params');
      if (!(await deleteItem(prisma, release, collection.kind, id, actor.name)))
        throw notFound(what, `${release}/${id}`);
      res.status(204).end();
    });
  }
  return router;
}

function mismatch(message: string): ApiError {
  return new ApiError(400, 'invalid_request', `body.id: ${message}`, { fields: [{ field: 'body.id', message }] });
}

/** A changed variants list, validated whole (nesting, parents, arches) before it is written. */
function checkedVariants(variants: Variant[]) {
  const result = VariantsDocument.safeParse({ variants });
  if (result.success) return result.data;
  throw new ApiError(
    422,
    'invalid_variants',
    result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    {
      fields: result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    },
  );
}

export function variantItemRoutes(prisma: PrismaClient): Router {
  const router = Router({ mergeParams: true });
  const current = async (release: string) => {
    const doc = await readVariants(prisma, release);
    if (!doc) throw notFound('release', release);
    return doc;
  };
  router.get('/variants/:uid', async (req, res) => {
    const { release, uid } = parse(VariantParams, req, 'params');
    const variant = findVariant(await current(release), uid);
    if (!variant) throw notFound('variant', `${release}/${uid}`);
    res.json({ uid, ...variant });
  });
  const write = (mode: 'post' | 'put') => async (req: Request, res: Response) => {
    const actor = await compsWriter(prisma, req);
    const { release } = releaseParams(req);
    const variant = parse(VariantBody, req, 'body');
    const uid = variantUid(variant);
    if (mode === 'put') {
      const { uid: pathUid } = parse(VariantParams, req, 'params');
      if (pathUid !== uid) throw mismatch(`the body names variant '${uid}', the path '${pathUid}'`);
    }
    const doc = await current(release);
    const before = findVariant(doc, uid);
    if (before && mode === 'post')
      throw new ApiError(409, 'conflict', `variant '${uid}' already exists in ${release}; PUT replaces it`);
    const variants = before ? doc.variants.map((v) => (v === before ? variant : v)) : [...doc.variants, variant];
    const next = checkedVariants(variants);
    await writeVariants(prisma, release, next, {
      actor: actor.name,
      action: before ? 'update' : 'create',
      subject: 'variant',
      key: uid,
      before,
      after: variant,
    });
    res
      .status(before ? 200 : 201)
      .location(`/api/v1/releases/${release}/variants/${uid}`)
      .json({ uid, ...variant });
  };
  router.post('/variants', write('post'));
  router.put('/variants/:uid', write('put'));
  router.delete('/variants/:uid', async (req, res) => {
    const actor = await compsWriter(prisma, req);
    const { release, uid } = parse(VariantParams, req, 'params');
    const doc = await current(release);
    const before = findVariant(doc, uid);
    if (!before) throw notFound('variant', `${release}/${uid}`);
    const children = doc.variants.filter((v) => v.parent === uid).map(variantUid);
    if (children.length > 0)
      throw new ApiError(409, 'conflict', `variant '${uid}' holds ${children.join(', ')}; delete those first`);
    const next = checkedVariants(doc.variants.filter((v) => v !== before));
    await writeVariants(prisma, release, next, {
      actor: actor.name,
      action: 'delete',
      subject: 'variant',
      key: uid,
      before,
    });
    res.status(204).end();
  });
  return router;
}
