import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueToken } from '../../api/identity/tokens';
import { DATABASE_KINDS } from '../support/databases';
import { eventually, startTestStack, type TestStack } from '../support/stack';

for (const kind of DATABASE_KINDS) {
  describe(`campaign thread through every layer (${kind})`, () => {
    let stack: TestStack;
    before(async () => {
      // Reminders every second, so the test sees the campaign remind while it waits.
      stack = await startTestStack(kind, { env: { CASCADE_REMINDER_INTERVAL_SECONDS: '1' } });
    });
    after(async () => {
      await stack?.stop();
    });

    const body = { components: ['python3'], branch: 'f29', strategy: 'only-changed' };

    it('refuses a request without a token with 401 and writes nothing', async () => {
      const res = await stack.request('POST', '/api/v1/campaigns', { body });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthenticated');
      assert.equal(await stack.db.prisma.campaign.count(), 0);
    });

    it('refuses a request without a token with 401 even when its body is malformed', async () => {
      const res = await stack.request('POST', '/api/v1/campaigns', { body: { branch: 'f29' } });
      assert.equal(res.status, 401);
    });

    it('refuses an unknown token with 401', async () => {
      const res = await stack.request('POST', '/api/v1/campaigns', { body, token: 'cas_not-a-real-token' });
      assert.equal(res.status, 401);
      assert.equal(await stack.db.prisma.campaign.count(), 0);
    });

    it('answers a malformed body with 400 naming the field', async () => {
      const res = await stack.request('POST', '/api/v1/campaigns', {
        token: stack.adminToken,
        body: { components: ['python3'], branch: 'f29; rm -rf /', strategy: 'sometimes' },
      });
      assert.equal(res.status, 400);
      const fields = res.body.error.details.fields.map((f: { field: string }) => f.field).sort();
      assert.deepEqual(fields, ['body.branch', 'body.strategy']);
      assert.match(res.body.error.message, /body\.branch/);
    });

    it('answers unparsable JSON with 400', async () => {
      const res = await stack.request('POST', '/api/v1/campaigns', { token: stack.adminToken, body: '{"branch":' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'invalid_json');
    });

    it('forbids a reader and a maintainer of something else (403), writing nothing', async () => {
      const reader = await issueToken(stack.db.prisma, { userName: 'rita', role: 'READER' });
      const maintainer = await issueToken(stack.db.prisma, { userName: 'max', role: 'MAINTAINER' });
      await stack.db.prisma.maintainership.create({
        data: { userId: maintainer.userId, namespace: 'rpms', name: 'perl' },
      });
      for (const token of [reader.token, maintainer.token]) {
        const res = await stack.request('POST', '/api/v1/campaigns', { token, body });
        assert.equal(res.status, 403);
        assert.equal(res.body.error.code, 'forbidden');
      }
      assert.equal(await stack.db.prisma.campaign.count(), 0);
    });

    it('answers 422 naming the field when nothing holds the component on that branch', async () => {
      const res = await stack.request('POST', '/api/v1/campaigns', { token: stack.adminToken, body });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'nothing_to_rebuild');
      assert.equal(res.body.error.details.fields[0].field, 'body.components');
      assert.equal(await stack.db.prisma.campaign.count(), 0);
    });

    it('starts a campaign workflow that records its plan, waits on a failed build, is cancelled, and shows its history', async () => {
      // python3 is held by python38:f29 in the store; there is no dist-git repository to build it from.
      const imported = await stack.request('POST', '/api/v1/imports/module-streams', {
        token: stack.adminToken,
        body: {
          streams: [
            {
              name: 'python38',
              stream: 'f29',
              edges: [{ type: 'BUILDREQUIRES', toName: 'platform', toStream: 'f29' }],
              components: [{ name: 'python3', ref: 'f29' }],
            },
          ],
        },
      });
      assert.equal(imported.status, 200, JSON.stringify(imported.body));
      const started = await stack.request('POST', '/api/v1/campaigns', { token: stack.adminToken, body });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      const { id, workflowId } = started.body;
      assert.equal(workflowId, `campaign-${id}`);

      const campaign = await eventually(async () => {
        const res = await stack.request('GET', `/api/v1/campaigns/${id}`);
        return res.body.state === 'waiting' ? res.body : undefined;
      });
      assert.equal(campaign.branch, 'f29');
      assert.equal(campaign.strategy, 'only-changed');
      assert.deepEqual(campaign.trigger.components, ['python3']);
      assert.equal(campaign.createdBy, 'admin');
      assert.equal(campaign.tierCount, 1);
      assert.deepEqual(
        campaign.blocking.map((b: { module: string; failedStep: string }) => [b.module, b.failedStep]),
        [['python38:f29', 'build']],
      );
      assert.match(campaign.blocking[0].failure, /modules\/python38 has no branch f29|repo_not_found|does not exist/);

      // Nobody maintains python38: release engineers are told, and reminded while the campaign waits.
      const reminded = await eventually(async () => {
        const inbox = await stack.request('GET', `/api/v1/notifications?campaign=${id}`, { token: stack.adminToken });
        const kinds = inbox.body.items.map((n: { kind: string }) => n.kind);
        return kinds.includes('campaign.reminder') ? kinds : undefined;
      });
      assert.ok(reminded.includes('campaign.module-failed'));

      const cancelled = await stack.request('POST', `/api/v1/campaigns/${id}/cancel`, {
        token: stack.adminToken,
        body: { reason: 'no sources' },
      });
      assert.equal(cancelled.status, 202, JSON.stringify(cancelled.body));
      const result = await stack.temporal.workflow.getHandle(workflowId).result();
      assert.equal(result.state, 'cancelled');
      const after = await stack.request('GET', `/api/v1/campaigns/${id}`);
      assert.equal(after.body.state, 'cancelled');
      assert.equal(after.body.tiers[0].modules[0].state, 'cancelled');
      assert.deepEqual(
        after.body.actions.map((a: { action: string; actor: string }) => [a.action, a.actor]),
        [['cancel', 'admin']],
      );

      const history = await stack.request('GET', `/api/v1/campaigns/${id}/history`);
      assert.equal(history.status, 200);
      const types = history.body.events.map((e: { type: string }) => e.type);
      assert.equal(types[0], 'WorkflowExecutionStarted');
      assert.equal(history.body.events[0].attributes.workflowType, 'windowedRebuildCampaign');
      assert.ok(types.includes('WorkflowExecutionUpdateAccepted'));
      assert.equal(types.at(-1), 'WorkflowExecutionCompleted');
      const scheduled = history.body.events.filter((e: { type: string }) => e.type === 'ActivityTaskScheduled');
      assert.equal(scheduled[0].attributes.activityType, 'planCampaignWindow');
      assert.ok(history.body.events.every((e: { time: string | null }) => e.time && !Number.isNaN(Date.parse(e.time))));
    });

    it('answers 404 for an unknown campaign and its history, 400 for a malformed id', async () => {
      assert.equal((await stack.request('GET', '/api/v1/campaigns/doesnotexist')).status, 404);
      assert.equal((await stack.request('GET', '/api/v1/campaigns/doesnotexist/history')).status, 404);
      const bad = await stack.request('GET', '/api/v1/campaigns/BAD_ID!');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.fields[0].field, 'params.id');
    });

    it('reports Temporal and the database separately on /healthz', async () => {
      const res = await stack.request('GET', '/healthz');
      assert.equal(res.status, 200);
      assert.equal(res.body.temporal.status, 'up');
      assert.equal(res.body.database.status, 'up');
      assert.equal(res.body.database.kind, kind);
    });
  });
}
