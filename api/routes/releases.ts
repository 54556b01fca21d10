// /api/v1/releases: Comps-as-a-Service. A release's comps (groups, categories, environments,
// langpacks) and variants (modules and groups), as JSON items and as whole documents: comps.xml and
// Pungi's variants.xml imported (POST, application/xml) and generated on the fly (GET), comps.xml
// optionally pruned to one variant. Release engineers write; everyone reads; every write is in the history.
import type { PrismaClient } from '@prisma/client';
import express, { Router, type Request, type Response } from 'express';
import {
  XmlDocumentError,
  generateCompsXml,
  generateVariantsXml,
  parseCompsXml,
  parseVariantsXml,
  pruneCompsToVariant,
  type CompsDocument,
} from '../../domain/comps';
import {
  createRelease,
  findVariant,
  importComps,
  listReleases,
  readComps,
  readHistory,
  readRelease,
  readVariants,
  writeVariants,
} from '../../store/comps';
import { ApiError, notFound } from '../errors';
import { parse } from '../validate';
import { registerReleasePaths } from './releases.openapi';
import { compsItemRoutes, compsWriter, variantItemRoutes } from './releases-items';
import { CompsBody, CompsXmlQuery, HistoryQuery, ReleaseCreate, ReleaseParams, VariantsBody } from './releases.schemas';

export interface ReleaseRouteDeps {
  prisma: PrismaClient;
}

registerReleasePaths();

const XML_TYPES = ['application/xml', 'text/xml'];

function xmlBody(req: Request): string {
  if (!req.is(XML_TYPES) || typeof req.body !== 'string') {
    throw new ApiError(415, 'unsupported_media_type', 'send the document as application/xml or text/xml');
  }
  return req.body;
}

/** Runs a document reader, turning its complaint into a 400 that names the element and line. */
function readDocument<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof XmlDocumentError)) throw err;
    throw new ApiError(400, 'invalid_document', err.message, {
      element: err.element,
      line: err.line ?? null,
      fields: [{ field: `body:${err.element}`, message: err.problem }],
    });
  }
}

function sendXml(res: Response, xml: string) {
  res.type('application/xml').send(xml);
}

export function releaseRoutes(deps: ReleaseRouteDeps): Router {
  const { prisma } = deps;
  const router = Router();
  router.use(express.text({ type: XML_TYPES, limit: '32mb' }));

  router.get('/', async (_req, res) => {
    res.json({ items: await listReleases(prisma) });
  });

  router.post('/', async (req, res) => {
    const actor = await compsWriter(prisma, req);
    const { key } = parse(ReleaseCreate, req, 'body');
    const created = await createRelease(prisma, key, actor.name);
    res
      .status(created ? 201 : 200)
      .location(`/api/v1/releases/${key}`)
      .json(await readRelease(prisma, key));
  });

  router.get('/:release', async (req, res) => {
    const { release } = parse(ReleaseParams, req, 'params');
    const found = await readRelease(prisma, release);
    if (!found) throw notFound('release', release);
    res.json(found);
  });

  const compsOf = async (release: string): Promise<CompsDocument> => {
    const comps = await readComps(prisma, release);
    if (!comps) throw notFound('release', release);
    return comps;
  };

  router.get('/:release/comps', async (req, res) => {
    const { release } = parse(ReleaseParams, req, 'params');
    res.json(await compsOf(release));
  });

  router.put('/:release/comps', async (req, res) => {
    const actor = await compsWriter(prisma, req);
    const { release } = parse(ReleaseParams, req, 'params');
    const doc = parse(CompsBody, req, 'body');
    await importComps(prisma, release, doc, actor.name);
    res.json(summary(doc));
  });

  router.get('/:release/comps.xml', async (req, res) => {
    const { release } = parse(ReleaseParams, req, 'params');
    const query = parse(CompsXmlQuery, req, 'query');
    const comps = await compsOf(release);
    if (!query.variant) {
      if (query.arch)
        throw new ApiError(400, 'invalid_request', 'query.arch: only with a variant', {
          fields: [{ field: 'query.arch', message: 'only with a variant' }],
        });
      sendXml(res, generateCompsXml(comps));
      return;
    }
    const variants = (await readVariants(prisma, release)) ?? { variants: [] };
    const variant = findVariant(variants, query.variant);
    if (!variant) throw notFound('variant', `${release}/${query.variant}`);
    sendXml(res, generateCompsXml(pruneCompsToVariant(comps, variant, query.arch)));
  });

  router.post('/:release/comps.xml', async (req, res) => {
    const actor = await compsWriter(prisma, req);
    const { release } = parse(ReleaseParams, req, 'params');
    const doc = readDocument(() => parseCompsXml(xmlBody(req)));
    await importComps(prisma, release, doc, actor.name);
    res.json(summary(doc));
  });

  router.get('/:release/variants', async (req, res) => {
    const { release } = parse(ReleaseParams, req, 'params');
    const variants = await readVariants(prisma, release);
    if (!variants) throw notFound('release', release);
    res.json(variants);
  });

  router.put('/:release/variants', async (req, res) => {
    const actor = await compsWriter(prisma, req);
    const { release } = parse(ReleaseParams, req, 'params');
    const doc = parse(VariantsBody, req, 'body');
    await writeVariants(prisma, release, doc, { actor: actor.name, action: 'import', subject: 'variants', after: doc });
    res.json({ variants: doc.variants.length });
  });

  router.get('/:release/variants.xml', async (req, res) => {
    const { release } = parse(ReleaseParams, req, 'params');
    const variants = await readVariants(prisma, release);
    if (!variants) throw notFound('release', release);
    sendXml(res, generateVariantsXml(variants));
  });

  router.post('/:release/variants.xml', async (req, res) => {
    const actor = await compsWriter(prisma, req);
    const { release } = parse(ReleaseParams, req, 'params');
    const doc = readDocument(() => parseVariantsXml(xmlBody(req)));
    await writeVariants(prisma, release, doc, { actor: actor.name, action: 'import', subject: 'variants', after: doc });
    res.json({ variants: doc.variants.length });
  });

  router.get('/:release/comps/history', async (req, res) => {
    const { release } = parse(ReleaseParams, req, 'params');
    const query = parse(HistoryQuery, req, 'query');
    res.json(await readHistory(prisma, release, query));
  });

  router.use('/:release', compsItemRoutes(prisma), variantItemRoutes(prisma));
  return router;
}

const summary = (doc: CompsDocument) => ({
  groups: doc.groups.length,
  categories: doc.categories.length,
  environments: doc.environments.length,
  langpacks: doc.langpacks.length,
});
