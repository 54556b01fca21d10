// Test support for the web dashboard: the built pages (web/dist, built here when the bootstrap has not),
// Debian's chromium driven by playwright-core (nothing downloaded), and screenshots kept as artifacts.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const projectRoot = path.join(__dirname, '..', '..');
export const CHROMIUM = process.env.CASCADE_CHROMIUM ?? '/usr/bin/chromium';

export async function ensureDashboardBuilt(): Promise<void> {
  if (fs.existsSync(path.join(projectRoot, 'web', 'dist', 'index.html'))) return;
  await new Promise<void>((resolve, reject) =>
    execFile(
      path.join(projectRoot, 'node_modules', '.bin', 'vite'),
      ['build', 'web', '--logLevel', 'error'],
      { cwd: projectRoot },
      (err, _out, errOut) => (err ? reject(new Error(`vite build web: ${errOut || err.message}`)) : resolve()),
    ),
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** Saves a full-page screenshot under `dir`, and into $CASCADE_TEST_ARTIFACTS when it is set. */
export async function keepScreenshot(page: Page, dir: string, name: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const artifacts = process.env.CASCADE_TEST_ARTIFACTS;
  if (artifacts) {
    fs.mkdirSync(artifacts, { recursive: true });
    fs.copyFileSync(file, path.join(artifacts, `${name}.png`));
  }
  return file;
}

// The scripts below run in the page (the project's TypeScript has no DOM types), written as strings.

/** Records every data-state a tier-graph node takes, so a test can show the page changed by itself. */
export async function recordNodeStates(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.seenStates = [];
    window.sameDocument = true;
    const note = (el) => {
      const entry = el.getAttribute('data-module') + '=' + el.getAttribute('data-state');
      if (!window.seenStates.includes(entry)) window.seenStates.push(entry);
    };
    document.querySelectorAll('g.node').forEach(note);
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.target.matches && r.target.matches('g.node')) note(r.target);
        for (const n of r.addedNodes) if (n.querySelectorAll) n.querySelectorAll('g.node').forEach(note);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  })()`);
}

export function seenStates(page: Page): Promise<{ seen: string[]; sameDocument: boolean }> {
  return page.evaluate(`({ seen: window.seenStates || [], sameDocument: window.sameDocument === true })`);
}

/** Notes when the first tier-graph node is drawn (performance.now(), from navigation start). */
export const MARK_FIRST_GRAPH = `new MutationObserver((_r, observer) => {
  if (document.querySelector('g.node')) {
    window.firstGraphAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { subtree: true, childList: true });`;

export interface FirstLoad {
  htmlBytes: number;
  domContentLoadedMs: number;
  firstContentfulPaintMs: number | null;
  tierGraphDrawnMs: number | null;
  files: { name: string; bytes: number }[];
}

/** Navigation timing, paint timing and the dashboard's own files as the page loaded them. */
export function firstLoadOf(page: Page): Promise<FirstLoad> {
  return page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]));
    return {
      htmlBytes: nav.decodedBodySize,
      domContentLoadedMs: nav.domContentLoadedEventEnd,
      firstContentfulPaintMs: paint['first-contentful-paint'] ?? null,
      tierGraphDrawnMs: window.firstGraphAt ?? null,
      files: performance.getEntriesByType('resource')
        .filter((r) => r.name.includes('/assets/'))
        .map((r) => ({ name: new URL(r.name).pathname, bytes: r.decodedBodySize })),
    };
  })()`);
}
