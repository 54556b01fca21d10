/**
 * api/: the Express app — one router per resource, zod schemas beside each, the OpenAPI document
 * generated from those schemas, and the identity checks. It reads and writes the store (store/ and
 * Prisma), starts and addresses workflows only through clients/ (with the families' contracts), and
 * imports activities and workflows for their types only (lint enforces it): the adapters it needs
 * (dist-git, the builder) come in ApiDependencies, built by workers/ from config. Imported by
 * workers/ (the server), the tests and benchmarks; the CLI imports its response types only.
 */
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import compression from 'compression';
import express, { type RequestHandler } from 'express';
import type { Logger } from '../platform/logger';
import { ApiError, errorHandler } from './errors';
import { releaseCompressionStreams } from './compression-release';
import { jsonBodiesOnly } from './content-type';
import { jsonDepthLimit } from './json-depth';
import { methodNotAllowed, optionsFromRoutes } from './method-not-allowed';
import { requireActor } from './identity/authenticate';
import { openApiDocument } from './openapi-registry';
import { registerCompatPaths } from './routes/compat.openapi';
import type { RequestWithRawBody } from './raw-body';
import { campaignRoutes } from './routes/campaigns';
import { ciResultRoutes } from './routes/ci-results';
import { resultsDbRoutes } from './routes/resultsdb';
import { healthRoutes } from './routes/health';
import { importRoutes } from './routes/imports';
import { eventRoutes } from './routes/events';
import { moduleBuildRoutes } from './routes/module-builds';
import { mbsRoutes } from './routes/mbs-module-builds';
import { moduleRoutes } from './routes/modules';
import { notificationRoutes } from './routes/notifications';
import { gitServing, repoRoutes } from './routes/repos';
import { tokenRoutes } from './routes/tokens';
import { storeDumpRoutes } from './routes/store-dump';
import { userRoutes } from './routes/users';
import { whoamiRoutes } from './routes/whoami';
import { dashboardPages, DEFAULT_WEB_DIST, uiConfigRoute, type TemporalUiSettings } from './web/dashboard-pages';
import { releaseRoutes } from './routes/releases';
import { composeRoutes } from './routes/composes';
import { odcsComposeRoutes } from './routes/odcs-composes';
import { pipelineRoutes } from './routes/pipeline';
import { kojiHubRoutes } from './kojihub/kojihub-route';
import type { ComposeClient } from '../clients/compose-client';
import { readVariants } from '../store/comps';
import { variantUid } from '../domain/comps';
import type { DistGit, LocalDistGit } from '../activities/distgit';
import type { Builder } from '../activities/koji';
import type { CascadeConfig } from '../platform/config';
import type { CampaignSettings } from '../domain/campaign';
import type { MetadataService } from './metadata/metadata-service';

export interface ApiDependencies {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  databaseKind: string;
  readsRequireAuth: boolean;
  logger: Logger;
  metadata: MetadataService;
  webhookSecret: string;
  /** how far a signed webhook delivery's sentAt may be from now (CASCADE_WEBHOOK_WINDOW_SECONDS) */
  webhookWindowSeconds?: number;
  distGit: DistGit;
  builder: Builder;
  builds: CascadeConfig['builds'];
  campaignSettings: CampaignSettings;
  /** the embedded dist-git's root, served read-only at /git; absent with a remote dist-git */
  distGitRoot?: string;
  /** the embedded dist-git, where POST /repos creates repositories; absent with a remote dist-git */
  localDistGit?: LocalDistGit;
  /** starts and cancels composes */
  composes: ComposeClient;
  /** the mirror tree published composes are served from, at /mirror */
  mirrorRoot: string;
  /** where the API is reached, for links it hands out (ODCS's repo files); the request's host when unset */
  publicUrl?: string;
  odcsSecondsToLive: number;
  /** how often the API's process has the compose reaper run (a Temporal schedule), in seconds; 0: never */
  composeReapEverySeconds?: number;
  /** where the dashboard links workflows in the Temporal Web UI */
  temporalUi?: TemporalUiSettings;
  /** the built dashboard (default web/dist) */
  webDist?: string;
  /** the embedded store's data directory as a tarball (make start on PGlite); absent on PostgreSQL */
  storeDump?: () => Promise<Blob>;
}

/** How deeply a JSON body may nest: no request of the API's needs more than a few levels. */
export const JSON_MAX_DEPTH = 32;

registerCompatPaths();

export function createApp(deps: ApiDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // gzip where the client accepts it (the dashboard's graph layout worker is 1.6 MB raw, 0.5 MB gzipped);
  // never the event stream, whose messages must leave as they are written.
  app.use(
    compression({
      filter: (req, res) => !req.path.endsWith('/events/stream') && compression.filter(req, res),
    }),
  );
  app.use(releaseCompressionStreams());
  // Bulk imports are large; everything else is small. Signed events keep their exact bytes for the HMAC.
  app.use('/api/v1/imports', express.json({ limit: '64mb' }));
  app.use(
    express.json({
      limit: '1mb',
      verify: (req, _res, buf) => {
        if (req.url?.startsWith('/api/v1/events/')) (req as RequestWithRawBody).rawBody = buf;
      },
    }),
  );
  app.use(jsonBodiesOnly(app));
  app.use(jsonDepthLimit(JSON_MAX_DEPTH));
  app.use(requestLog(deps.logger));
  app.use(optionsFromRoutes(app));
  // The dashboard's pages and files are public; the data they show comes through the API's own checks.
  app.use(dashboardPages(deps.webDist ?? DEFAULT_WEB_DIST));
  app.use(uiConfigRoute(deps.temporalUi ?? { port: 8233, namespace: 'default' }));
  if (deps.readsRequireAuth) app.use(readsNeedAToken(deps.prisma));

  app.use(healthRoutes(deps));
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  app.use('/api/v1/campaigns', campaignRoutes(deps));
  app.use('/api/v1/releases', releaseRoutes(deps));
  app.use(
    '/api/v1/composes',
    composeRoutes({
      ...deps,
      releaseVariants: async (release) => (await readVariants(deps.prisma, release))?.variants.map(variantUid),
    }),
  );
  app.use('/api/1', odcsComposeRoutes({ ...deps, defaultSecondsToLive: deps.odcsSecondsToLive }));
  // The mirror tree, read-only, as a mirror serves it: dnf and ODCS's repo files point here.
  app.use('/mirror', express.static(deps.mirrorRoot, { dotfiles: 'deny', index: false, fallthrough: true }));
  app.use('/api/v1/tokens', tokenRoutes(deps));
  app.use('/api/v1/admin', storeDumpRoutes(deps));
  app.use('/api/v1/whoami', whoamiRoutes(deps));
  app.use('/api/v1/users', userRoutes(deps));
  app.use('/api/v1/imports', importRoutes(deps));
  app.use('/api/v1', moduleRoutes(deps));
  app.use('/api/v1/events', eventRoutes(deps));
  app.use('/api/v1/module-builds', moduleBuildRoutes(deps));
  app.use('/module-build-service', mbsRoutes(deps));
  app.use('/api/v1/ci', ciResultRoutes(deps));
  app.use('/api/v2.0', resultsDbRoutes(deps));
  app.use('/api/v1/pipeline', pipelineRoutes(deps));
  app.use('/api/v1/notifications', notificationRoutes(deps));
  app.use('/api/v1/repos', repoRoutes(deps));
  if (deps.distGitRoot) app.use('/git', gitServing(deps.distGitRoot));
  // A Koji-compatible hub over LocalKoji: XML-RPC at /kojihub, its files at /kojifiles.
  app.use(kojiHubRoutes(deps));

  app.use(methodNotAllowed(app));
  app.use((req, _res, next) => next(new ApiError(404, 'not_found', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));
  return app;
}

function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      logger.debug(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) },
        'request',
      );
    });
    next();
  };
}

function readsNeedAToken(prisma: PrismaClient): RequestHandler {
  return (req, _res, next) => {
    if (req.method !== 'GET' || req.path === '/healthz') return next();
    requireActor(prisma, req).then(() => next(), next);
  };
}
