// The web dashboard in headless Chromium (Debian's, driven by playwright-core) against a real stack:
// a small campaign runs while its page is open; the tier graph changes state on that same page with
// no reload, the module whose test fails shows who can act, a reader (and a maintainer of another
// module) sees no action buttons, the maintainer signs in and clicks resume after pushing the fix,
// and the campaign finishes on the page. The module build and compose pages are read too, and
// screenshots of the three are kept (with the first load's size and time) as artifacts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeHookConfig } from '../../activities/distgit';
import { issueToken } from '../../api/identity/tokens';
import { specFile } from '../support/module-fixture';
import {
  createDistribution,
  distributionMaintainers,
  prebuildDistribution,
  smokeTest,
  type Distribution,
} from '../support/distribution-fixture';
import {
  ensureDashboardBuilt,
  firstLoadOf,
  MARK_FIRST_GRAPH,
  keepScreenshot,
  launchChromium,
  recordNodeStates,
  seenStates,
} from '../support/dashboard-browser';
import { closedPort, GitPerson, personEnv } from '../support/git-person';
import { eventually, startTestStack, type TestStack } from '../support/stack';

const SERVER_VARIANT = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE variants PUBLIC "-//Red Hat, Inc.//DTD Variants info//EN" "variants2012.dtd">
<variants>
  <variant id="Server" name="Server" type="variant">
    <arches><arch>x86_64</arch></arches>
    <groups><group default="true">core-tools</group></groups>
    <modules><module>core:f29/default</module><module>tools:f29/default</module></modules>
  </variant>
</variants>
`;
const COMPS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
<comps>
  <group>
    <id>core-tools</id>
    <name>Core tools</name>
    <description>The core library and its tools</description>
    <default>true</default>
    <uservisible>true</uservisible>
    <packagelist><packagereq type="mandatory">libcore</packagereq><packagereq type="default">toolkit</packagereq></packagelist>
  </group>
</comps>
`;

const nodeState = (page: Page, module: string) =>
  page.locator(`g.node[data-module="${module}"]`).getAttribute('data-state');

async function signInOnPage(page: Page, token: string, name: string) {
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('form.signin input[name=token]').fill(token);
  await page.locator('form.signin button[type=submit]').click();
  await page.locator(`.who[data-user="${name}"]`).waitFor();
}

describe('the web dashboard', () => {
  let stack: TestStack;
  let dist: Distribution;
  let browser: Browser;
  let tina: { token: string };
  let bob: { token: string };
  let rita: { token: string };
  let campaignId: string;
  let watching: Page;
  let shots: string;

  before(async () => {
    await ensureDashboardBuilt();
    stack = await startTestStack('postgres');
    shots = path.join(stack.home, 'screenshots');
    dist = await createDistribution(stack.distGit, { failingSmoke: true });
    ({ tina, bob } = await distributionMaintainers(stack));
    rita = await issueToken(stack.db.prisma, { userName: 'rita', role: 'READER' });
    await prebuildDistribution(stack);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('serves the pages at their own addresses, and answers unknown API paths with JSON 404s', async () => {
    for (const page of [
      '/',
      '/campaigns',
      '/campaigns/x',
      '/module-builds/a:b:1:c',
      '/composes',
      '/pipeline',
      '/notifications',
    ]) {
      const res = await fetch(stack.api.url + page);
      assert.equal(res.status, 200, page);
      assert.match(await res.text(), /<div id="app">/, page);
    }
    const missing = await fetch(`${stack.api.url}/api/v1/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not_found');
    const whoami = await stack.request('GET', '/api/v1/whoami', { token: tina.token });
    assert.deepEqual(whoami.body, { name: 'tina', role: 'maintainer', maintains: ['modules/tools'] });
    assert.equal((await stack.request('GET', '/api/v1/whoami')).status, 401);
    const ui = await stack.request('GET', '/api/v1/ui-config');
    assert.deepEqual(ui.body, { temporalUiUrl: 'http://127.0.0.1:8233', temporalNamespace: 'default' });
  });

  it('shows the campaign start, then its tier graph changing state without a reload, until a failed test blocks it', async () => {
    const libcore = dist.rpm('libcore');
    await libcore.commit(
      'f29',
      { 'libcore.spec': specFile('libcore', { note: 'patched' }) },
      'patch libcore',
      dist.tick(),
    );
    await libcore.push('f29');
    const started = await stack.request('POST', '/api/v1/campaigns', {
      token: stack.adminToken,
      body: { components: ['libcore'], branch: 'f29' },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    campaignId = started.body.id;

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    watching = await context.newPage();
    await watching.goto(`${stack.api.url}/campaigns/${campaignId}`);
    await watching.locator('g.node[data-module="tools:f29"]').waitFor({ timeout: 60_000 });
    await recordNodeStates(watching);
    const first = await nodeState(watching, 'tools:f29');
    assert.ok(['waiting', 'building', 'testing'].includes(first!), `tools:f29 starts ${first}`);

    // The same page object, never reloaded, follows the campaign until tools' smoke test fails.
    await watching.locator('[data-campaign-state="waiting"]').waitFor({ timeout: 300_000 });
    await watching.locator('g.node[data-module="tools:f29"][data-state="failed"]').waitFor();
    const { seen, sameDocument } = await seenStates(watching);
    assert.ok(sameDocument, 'the page was not reloaded');
    assert.ok(seen.includes('tools:f29=failed'), seen.join(' '));
    assert.ok(
      seen.some((s) => /^tools:f29=(waiting|building|testing)$/.test(s)),
      `tools:f29 was seen before it failed: ${seen.join(' ')}`,
    );
    assert.ok(seen.includes('core:f29=passed'), seen.join(' '));
    assert.equal(await nodeState(watching, 'app:f29'), 'blocked');
    assert.equal(await nodeState(watching, 'docs:f29'), 'passed');
  });

  it('says what blocks the blocked module and who can act on the failed one', async () => {
    const tools = watching.locator('g.node[data-module="tools:f29"]');
    assert.match((await tools.getAttribute('aria-label'))!, /failed\. can act: tina, release engineers/);
    assert.match((await watching.locator('g.node[data-module="app:f29"]').textContent())!, /blocked by tools:f29/);
    const blocking = watching.locator('[data-blocking="tools:f29"]');
    assert.match((await blocking.locator('.can-act').textContent())!, /Who can act: tina, release engineers/);
    assert.match((await blocking.locator('pre.failure').textContent())!, /smoke/);
    await keepScreenshot(watching, shots, 'campaign-waiting');
  });

  it('shows no action buttons to a reader, to a maintainer of another module, or to no one signed in', async () => {
    assert.equal(await watching.locator('.actions button').count(), 0, 'not signed in');
    for (const [token, name] of [
      [rita.token, 'rita'],
      [bob.token, 'bob'],
    ] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${stack.api.url}/campaigns/${campaignId}`);
      await signInOnPage(page, token, name);
      await page.locator('[data-blocking="tools:f29"]').waitFor();
      await page.locator('g.node[data-module="tools:f29"]').click();
      await page.locator('[data-detail="tools:f29"]').waitFor();
      assert.equal(await page.locator('.actions button').count(), 0, name);
      assert.equal(await page.getByRole('button', { name: /Resume|Retry|Skip|Cancel/ }).count(), 0, name);
      await context.close();
    }
  });

  it('lets the maintainer sign in and resume after pushing the fix, and the campaign finishes on the page', async () => {
    // The fix reaches dist-git while its notifier cannot reach Cascade (it spools the event), so no
    // push resumes the campaign by itself: the maintainer does, from the page.
    await writeHookConfig(stack.distGit.root, {
      url: `http://127.0.0.1:${await closedPort()}/api/v1/events/dist-git`,
      secretFile: stack.config.webhookSecretFile,
    });
    const fixer = await GitPerson.clone(
      stack.distGit.repoPath({ namespace: 'modules', name: 'tools' }),
      dist.home,
      personEnv(dist.home, {
        GL_USER: 'tina',
        GIT_AUTHOR_NAME: 'Tina Maintainer',
        GIT_AUTHOR_EMAIL: 'tina@example.org',
      }),
    );
    await fixer.run(['checkout', '--quiet', '-b', 'f29', 'origin/f29']);
    await fixer.commit('f29', { 'tests/smoke.sh': smokeTest(true) }, 'fix the smoke test', dist.tick());
    await fixer.push('f29');
    assert.equal((await stack.request('GET', `/api/v1/campaigns/${campaignId}`)).body.state, 'waiting');

    await signInOnPage(watching, tina.token, 'tina');
    const actions = watching.locator('[data-blocking="tools:f29"] [data-actions-for="tools:f29"]');
    await actions.getByRole('button', { name: 'Resume' }).click();
    await actions.getByText('Resume: accepted').waitFor();

    await watching.locator('[data-campaign-state="finished"]').waitFor({ timeout: 300_000 });
    for (const m of ['core:f29', 'lang:f29', 'tools:f29', 'app:f29', 'docs:f29'])
      assert.equal(await nodeState(watching, m), 'passed', m);
    const { seen, sameDocument } = await seenStates(watching);
    assert.ok(sameDocument, 'the page was not reloaded');
    assert.ok(seen.includes('app:f29=passed') && seen.includes('tools:f29=passed'), seen.join(' '));
    assert.equal(await watching.locator('.actions button').count(), 0, 'nothing left to act on');
    assert.match((await watching.locator('ol.action-log').textContent())!, /tina resume tools:f29/);
    const record = (await stack.request('GET', `/api/v1/campaigns/${campaignId}`)).body;
    assert.deepEqual(
      record.actions.map((a: { action: string; actor: string }) => [a.action, a.actor]),
      [['resume', 'tina']],
    );
    await keepScreenshot(watching, shots, 'campaign-finished');
  });

  it('shows a module build by batch, with what was built, what was reused from which build, and the log', async () => {
    const core = await stack.db.prisma.moduleBuild.findFirstOrThrow({ where: { campaignId, name: 'core' } });
    await watching.goto(`${stack.api.url}/module-builds/${core.nsvc}`);
    const libcore = watching.locator('tr[data-component="libcore"]');
    await libcore.waitFor();
    assert.match((await libcore.textContent())!, /complete/);
    const corehelp = watching.locator('tr[data-component="corehelp"]');
    assert.match((await corehelp.textContent())!, /reused/);
    const origin = await corehelp.locator('a').getAttribute('href');
    assert.match(origin!, /^\/module-builds\/core:f29:/);
    assert.notEqual(decodeURIComponent(origin!), `/module-builds/${core.nsvc}`);
    await libcore.getByRole('button', { name: 'Show log' }).click();
    await eventually(async () =>
      /rpmbuild|Wrote:/.test((await libcore.locator('.log-text').textContent()) ?? '') ? true : undefined,
    );
    assert.equal(
      await watching.locator('a.temporal-link').getAttribute('href'),
      `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(core.workflowId)}`,
    );
    await keepScreenshot(watching, shots, 'module-build');
  });

  it('shows a compose with its phases, validated variant, what changed and publication', async () => {
    assert.equal(
      (await stack.request('POST', '/api/v1/releases', { token: stack.adminToken, body: { key: 'cascade-29' } }))
        .status,
      201,
    );
    for (const [file, xml] of [
      ['comps.xml', COMPS],
      ['variants.xml', SERVER_VARIANT],
    ] as const) {
      const res = await fetch(`${stack.api.url}/api/v1/releases/cascade-29/${file}`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml', authorization: `Bearer ${stack.adminToken}` },
        body: xml,
      });
      assert.ok(res.ok, `${file}: ${res.status} ${await res.text()}`);
    }
    const started = await stack.request('POST', '/api/v1/composes', {
      token: stack.adminToken,
      body: { release: 'cascade-29' },
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    await watching.goto(`${stack.api.url}/composes/${started.body.composeId}`);
    const outcome = await stack.temporal.workflow.getHandle(started.body.workflowId).result();
    assert.equal(outcome.status, 'FINISHED', JSON.stringify(outcome));
    // Published and every phase done, on the page that was open while it ran.
    await watching.locator('.page-head .badge[data-state="published"]').waitFor({ timeout: 30_000 });
    // "published" is recorded inside the publish phase, its end a moment later: wait for that too.
    await watching
      .locator('table.phases tbody tr', { hasText: 'publish' })
      .filter({ hasText: 'done' })
      .waitFor({ timeout: 30_000 });
    const phases = await watching.locator('table.phases tbody tr').allTextContents();
    assert.equal(phases.length, 10, phases.join('\n'));
    assert.ok(
      phases.every((p) => /done/.test(p)),
      phases.join('\n'),
    );
    const server = watching.locator('[data-variant="Server"]');
    assert.match((await server.textContent())!, /core:f29:/);
    assert.ok((await server.locator('ul.validation li').count()) > 0);
    assert.match((await watching.locator('#changes-title + *').textContent())!, /first compose|Since/);
    await keepScreenshot(watching, shots, 'compose');
  });

  it('measures the first load of a campaign page (size and time; recorded, not asserted)', async (t) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript({ content: MARK_FIRST_GRAPH });
    await page.goto(`${stack.api.url}/campaigns/${campaignId}`);
    await page.locator('g.node').first().waitFor();
    const timing = await firstLoadOf(page);
    const dist = path.join(__dirname, '..', '..', 'web', 'dist');
    const gz = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file))).length;
    const shell = [
      'index.html',
      ...fs
        .readdirSync(path.join(dist, 'assets'))
        .filter((f) => /^index-.*\.(js|css)$/.test(f))
        .map((f) => `assets/${f}`),
    ];
    const report = {
      ...timing,
      shellBytes: shell.reduce((n, f) => n + fs.statSync(path.join(dist, f)).size, 0),
      shellGzipBytes: shell.reduce((n, f) => n + gz(f), 0),
      campaignPageBytes: timing.htmlBytes + timing.files.reduce((n, f) => n + f.bytes, 0),
      campaignPageGzipBytes: gz('index.html') + timing.files.reduce((n, f) => n + gz(f.name.slice(1)), 0),
    };
    fs.writeFileSync(path.join(shots, 'first-load.json'), JSON.stringify(report, null, 2));
    if (process.env.CASCADE_TEST_ARTIFACTS)
      fs.copyFileSync(
        path.join(shots, 'first-load.json'),
        path.join(process.env.CASCADE_TEST_ARTIFACTS, 'first-load.json'),
      );
    t.diagnostic(`first load: ${JSON.stringify(report)}`);
    assert.ok(
      report.files.some((f) => /elk-worker/.test(f.name)),
      'the layout worker was loaded',
    );
    await context.close();
  });
});
