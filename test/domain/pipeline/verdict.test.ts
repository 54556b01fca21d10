import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pipelineVerdict, relativeTime, type PipelineOverview } from '../../../domain/pipeline';

const now = new Date('2026-11-30T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
const commit = '3f2a1c9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e';

type Facts = Omit<PipelineOverview, 'verdict' | 'links'>;
const base: Facts = {
  kind: 'module',
  key: 'nodejs:10',
  source: null,
  underway: [],
  latestBuild: null,
  latestCompose: null,
  lineage: { commits: [], builds: [], composes: [] },
};
const build = {
  nsvc: 'nodejs:10:2900002026112504:6c81f848',
  nvr: null,
  builtAt: hoursAgo(2),
  fromCommit: commit,
  state: 'ready',
  ciOutcome: 'PASSED',
  workflowId: 'module-build-nodejs-10-2900002026112504',
};
const compose = {
  composeId: 'F29-20261130.n.0',
  status: 'FINISHED',
  publication: 'not yet published',
  published: false,
  publishedAt: null,
  finishedAt: hoursAgo(1),
  nsvc: build.nsvc,
  variant: 'Server',
};

describe('relativeTime', () => {
  it('reads seconds, minutes, hours and days', () => {
    assert.equal(relativeTime(new Date(now.getTime() - 30_000), now), 'just now');
    assert.equal(relativeTime(new Date(now.getTime() - 5 * 60_000), now), '5 min ago');
    assert.equal(relativeTime(hoursAgo(2), now), '2 h ago');
    assert.equal(relativeTime(hoursAgo(75), now), '3 d ago');
    assert.equal(relativeTime(hoursAgo(-1), now), 'just now');
  });
});

describe('pipelineVerdict', () => {
  it('says when and from what a module was built, and the compose holding it', () => {
    assert.equal(
      pipelineVerdict({ ...base, latestBuild: build, latestCompose: compose }, now),
      'nodejs:10 built 2 h ago from 3f2a1c9, in compose F29-20261130.n.0, not yet published',
    );
  });

  it('says a module built but in no compose is in none yet', () => {
    assert.equal(
      pipelineVerdict({ ...base, latestBuild: build }, now),
      'nodejs:10 built 2 h ago from 3f2a1c9, in no compose yet',
    );
  });

  it('names a newer commit that is not built yet', () => {
    const source = {
      repo: 'modules/nodejs',
      branch: '10',
      commit: 'abcdef0123',
      pushedBy: 'alice',
      pushedAt: hoursAgo(0.5),
    };
    assert.equal(
      pipelineVerdict({ ...base, source, latestBuild: build }, now),
      'nodejs:10 built 2 h ago from 3f2a1c9, in no compose yet; newest commit abcdef0 (pushed by alice 30 min ago) is not built yet',
    );
  });

  it('says what a build under way waits for', () => {
    const underway = [
      {
        campaignId: 'c1',
        module: 'tools:f29',
        tier: 1,
        state: 'waiting',
        startedAt: hoursAgo(0.1),
        waitingFor: ['core:f29'],
        workflowId: 'campaign-c1',
        live: true,
      },
    ];
    assert.equal(
      pipelineVerdict({ ...base, key: 'libcore@f29', kind: 'component', underway }, now),
      'libcore on f29 is being built in campaign c1 (tier 1, waiting), waiting for core:f29',
    );
    assert.equal(
      pipelineVerdict({ ...base, latestBuild: build, latestCompose: compose, underway }, now),
      'nodejs:10 built 2 h ago from 3f2a1c9, in compose F29-20261130.n.0, not yet published; a new build is under way in campaign c1 (tier 1, waiting), waiting for core:f29',
    );
  });

  it('says a thing with no ready build has none', () => {
    assert.equal(pipelineVerdict(base, now), 'nodejs:10 has no ready build');
  });

  it('reads a compose: finished and unpublished, published, running', () => {
    const facts: Facts = {
      ...base,
      kind: 'compose',
      key: compose.composeId,
      latestCompose: compose,
      lineage: {
        commits: [],
        builds: [
          { nsvc: build.nsvc, state: 'ready', fromCommit: commit, component: null, nvr: null, componentState: null },
        ],
        composes: [],
      },
    };
    assert.equal(
      pipelineVerdict(facts, now),
      'F29-20261130.n.0 finished 1 h ago, holds 1 module build, not yet published',
    );
    const published = { ...compose, published: true, publication: 'published', publishedAt: hoursAgo(0.25) };
    assert.equal(
      pipelineVerdict({ ...facts, latestCompose: published }, now),
      'F29-20261130.n.0 finished 1 h ago, holds 1 module build, published 15 min ago',
    );
    assert.equal(
      pipelineVerdict({ ...facts, latestCompose: { ...compose, status: 'STARTED' } }, now),
      'F29-20261130.n.0 is running, 1 module build so far',
    );
  });

  it('reads a commit: who pushed it and where it went', () => {
    const facts: Facts = {
      ...base,
      kind: 'commit',
      key: commit,
      lineage: {
        commits: [
          { repo: 'rpms/libcore', commit, component: 'libcore', nvr: null, pushedBy: 'alice', pushedAt: hoursAgo(3) },
        ],
        builds: [
          {
            nsvc: build.nsvc,
            state: 'ready',
            fromCommit: commit,
            component: 'libcore',
            nvr: 'libcore-1.0-1',
            componentState: 'complete',
          },
        ],
        composes: [
          {
            composeId: compose.composeId,
            nsvc: build.nsvc,
            variant: 'Server',
            status: 'FINISHED',
            publication: 'published',
          },
        ],
      },
    };
    assert.equal(
      pipelineVerdict(facts, now),
      '3f2a1c9 (rpms/libcore, pushed by alice 3 h ago) is in 1 module build, in 1 compose (1 published)',
    );
    assert.equal(
      pipelineVerdict({ ...facts, lineage: { ...facts.lineage, builds: [], composes: [] } }, now),
      '3f2a1c9 (rpms/libcore, pushed by alice 3 h ago) is in no build yet',
    );
  });
});
