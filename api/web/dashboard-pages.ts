/**
 * api/web/: the dashboard's side of the server. The page routes a person bookmarks (/campaigns/<id>,
 * /module-builds/<nsvc>, …) answer web/dist/index.html and the browser app renders them; its built
 * files are served under /assets. GET /api/v1/ui-config tells the app where the Temporal Web UI is.
 * Imported by api/app.ts only.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** Where the bootstrap builds the dashboard (`vite build web`). */
export const DEFAULT_WEB_DIST = path.join(__dirname, '..', '..', 'web', 'dist');

/** The dashboard's page routes: each answers index.html (history fallback), the app picks the view. */
export const DASHBOARD_PAGES = [
  '/',
  '/campaigns',
  '/campaigns/:id',
  '/module-builds/:nsvc',
  '/composes',
  '/composes/:id',
  '/pipeline',
  '/notifications',
];

export interface TemporalUiSettings {
  /** CASCADE_TEMPORAL_UI_URL when configured; otherwise the page's own host on `port` */
  explicitUrl?: string;
  port: number;
  namespace: string;
}

export function dashboardPages(distDir: string): Router {
  const router = Router();
  const indexFile = path.join(distDir, 'index.html');
  // Hashed names: a browser may keep them for good. index.html is always asked again.
  router.use(
    '/assets',
    express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }),
  );
  router.get(DASHBOARD_PAGES, (_req, res) => {
    if (!fs.existsSync(indexFile)) {
      res
        .status(503)
        .type('text/plain')
        .send(
          `The dashboard is not built: ${indexFile} is missing. Run scripts/bootstrap (or make start), ` +
            'which builds it with `node_modules/.bin/vite build web`.\nThe API itself answers under /api/v1/.\n',
        );
      return;
    }
    res.set('cache-control', 'no-cache').sendFile(indexFile);
  });
  return router;
}

export function uiConfigRoute(temporalUi: TemporalUiSettings): Router {
  const router = Router();
  router.get('/api/v1/ui-config', (req, res) => {
    const base = temporalUi.explicitUrl ?? `${req.protocol}://${req.hostname}:${temporalUi.port}`;
    res.json({ temporalUiUrl: base, temporalNamespace: temporalUi.namespace });
  });
  return router;
}
